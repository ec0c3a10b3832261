#!/usr/bin/env python3
"""CPU seconds of each thread of a command, by thread name (docs/benchmarks.md#convert, issue 19 item 1).

    python3 convert-service/bench/thread-cpu.py convert-service/bin/cxr-convert IN OUT --workers 1 --quiet

Samples /proc/PID/task/*/stat every 20 ms and prints, from the last sample before the process ends,
the wall time and the user+sys CPU per thread (the JVM when bin/cxr-convert execs it). On a 2-core
machine with nothing else running, the wall time of a run is bounded below by its busiest thread:
with the decode/finish overlap of `./cxr convert`, that is the decoding thread (Linux keeps 15
characters of a name: convert-decode-0 shows as "convert-decode-"; the threads OpenJPEG starts for
a JPEG 2000 decode inherit that name and are listed apart). A thread that ends between two samples
loses up to 20 ms of its CPU here; /usr/bin/time gives the process's exact total.
"""
import os
import subprocess
import sys
import time


def main(argv):
    proc = subprocess.Popen(argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tick = os.sysconf("SC_CLK_TCK")
    last = {}
    start = time.time()
    while proc.poll() is None:
        try:
            tids = os.listdir(f"/proc/{proc.pid}/task")
        except OSError:
            tids = []
        for tid in tids:
            try:
                stat = open(f"/proc/{proc.pid}/task/{tid}/stat").read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            last[tid] = (name, (int(fields[11]) + int(fields[12])) / tick)
        time.sleep(0.02)
    wall = time.time() - start
    threads = sorted(last.values(), key=lambda t: -t[1])
    print(f"wall {wall:.2f} s, CPU {sum(c for _, c in threads):.2f} s (exit {proc.returncode})")
    for name, cpu in threads:
        if cpu >= 0.01:
            print(f"  {cpu:6.2f} s  {name}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
