# SPDX-License-Identifier: GPL-2.0
# make bench in a guest with several CPUs (bench/plan.sh): smpcheck's
# figures, as on the host.
smpcheck bench
