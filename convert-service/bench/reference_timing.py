#!/usr/bin/python3
"""Per-image time of the published recipe (../shared/tools/reference_convert.py) in a warm interpreter.

Usage: reference_timing.py REFERENCE_SCRIPT OUT_DIR WARMUP_PASSES MEASURE_PASSES FILE...
Imports the reference's convert(), runs every file WARMUP_PASSES times, then MEASURE_PASSES times
measured (the median per file is printed):
time of convert(path) + cv2.imwrite(jpg), i.e. what the script does per image without the
interpreter start and imports. Prints CSV: file,transfer_syntax,status,ms.
"""
import importlib.util
import os
import sys
import time
import warnings

import cv2
import pydicom

warnings.simplefilter("ignore")


def main(argv):
    spec = importlib.util.spec_from_file_location("reference_convert", argv[1])
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    out_dir, warmups, measures, files = argv[2], int(argv[3]), int(argv[4]), argv[5:]
    os.makedirs(out_dir, exist_ok=True)

    def once(path):
        out = os.path.join(out_dir, path.replace("/", "_") + ".jpg")
        t0 = time.perf_counter()
        img = ref.convert(path)
        cv2.imwrite(out, img)
        return (time.perf_counter() - t0) * 1000

    for _ in range(warmups):
        for f in files:
            try:
                once(f)
            except Exception:  # noqa: BLE001 - failures are reported in the measured pass
                pass
    print("file,transfer_syntax,status,ms")
    for f in files:
        try:
            ts = str(pydicom.dcmread(f, stop_before_pixels=True, force=True).file_meta.get("TransferSyntaxUID",
                                                                                          "1.2.840.10008.1.2"))
        except Exception:  # noqa: BLE001
            ts = ""
        try:
            ms = sorted(once(f) for _ in range(measures))[measures // 2]
            print(f"{f},{ts},OK,{ms:.3f}")
        except Exception:  # noqa: BLE001
            print(f"{f},{ts},FAIL,")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv)
