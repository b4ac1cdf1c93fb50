# SPDX-License-Identifier: GPL-2.0
# Run by python3 inside the Debian guest (vm/debian-boot).
import os
import platform

print("python3: %s on %s, sum of squares 1..100 = %d, pid %d"
      % (platform.python_version(), platform.release(),
         sum(i * i for i in range(1, 101)), os.getpid()))
