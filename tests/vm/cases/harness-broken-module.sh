# SPDX-License-Identifier: GPL-2.0
# Harness self-test: the module below WARNs when it loads.  The case itself
# succeeds, so only the kernel-log check can make it fail, and it must.
# harness: must-fail-with: WARNING
# module: warn-on-load
echo "the broken module is loaded"
