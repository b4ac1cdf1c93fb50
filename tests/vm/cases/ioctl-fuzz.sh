# SPDX-License-Identifier: GPL-2.0
# long: first model only in make check, every model in make check-long
# timeout: 700
# The structured ioctl fuzzer (tests/vm/progs/ioctl-fuzz.c): valid
# sequences with one field mutated per call, a tiny guest run between
# them, then threads racing on one file; every errno must be documented,
# a valid VM must still work afterwards, and no guest RAM may stay held.
# The runner fails the case on any WARNING, Oops or lockup in the log.
#
# IOCTL_FUZZ_CALLS / IOCTL_FUZZ_SECONDS / IOCTL_FUZZ_SEED override the run
# (the long run: IOCTL_FUZZ_CALLS=1000000); 'make check-long'
# (CO_SWEEP=full) runs 10^6 calls on the first model.
. tests/vm/lib.sh

FUZZ=$PROGS/ioctl-fuzz
if [ -n "$IOCTL_FUZZ_CALLS" ]; then
	calls=$IOCTL_FUZZ_CALLS
	seconds=${IOCTL_FUZZ_SECONDS:-600}
elif [ "$CO_SWEEP" = full ]; then
	calls=1000000
	seconds=${IOCTL_FUZZ_SECONDS:-560}
else
	calls=200000
	seconds=${IOCTL_FUZZ_SECONDS:-25}
fi
seed=${IOCTL_FUZZ_SEED:+-s $IOCTL_FUZZ_SEED}

# Same seed, same calls: the single-threaded part is reproducible.
a=$($FUZZ -s 12345 -n 3000 -r 0 /dev/colinux 2>&1) || { echo "$a"; fail "the reproduction run failed"; }
b=$($FUZZ -s 12345 -n 3000 -r 0 /dev/colinux 2>&1) || { echo "$b"; fail "the reproduction run failed"; }
ta=$(echo "$a" | sed -n 's/.*single-threaded: .*trace //p')
tb=$(echo "$b" | sed -n 's/.*single-threaded: .*trace //p')
echo "seed 12345 twice: trace $ta and $tb"
[ -n "$ta" ] && [ "$ta" = "$tb" ] || { echo "$a"; echo "$b"; fail "the same seed made different calls"; }

# shellcheck disable=SC2086
$FUZZ $seed -n "$calls" -t "$seconds" /dev/colinux
rc=$?
[ $rc -eq 0 ] || fail "ioctl-fuzz reported a problem (status $rc)"
[ "$(cat /sys/module/colinux/parameters/ram_pages)" = 0 ] ||
	fail "guest RAM still held after the fuzzer: $(cat /sys/module/colinux/parameters/ram_pages) pages"
