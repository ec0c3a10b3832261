#!/usr/bin/python3
"""The reference recipe run as a whole process over a folder (issue 19 items 1 and 2).

Usage: reference_run.py REFERENCE_SCRIPT IN_DIR OUT_DIR     convert every IN_DIR/*.dcm to OUT_DIR/*.jpg
       reference_run.py REFERENCE_SCRIPT --imports-only     the imports alone (subtracted for the warm figure)

Imports ../shared/tools/reference_convert.py (cv2, numpy, pydicom) and the GDCM pixel handler that
pydicom would otherwise import on the first compressed file, then runs the reference's own
convert() + cv2.imwrite per file in sorted order, writing only the JPG: what the reference costs
as a tool, interpreter start and imports included.
"""
import glob
import importlib.util
import os
import sys
import warnings

warnings.simplefilter("ignore")


def main(argv):
    spec = importlib.util.spec_from_file_location("reference_convert", argv[1])
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    import cv2
    import pydicom.pixel_data_handlers.gdcm_handler  # noqa: F401 - imported here, not inside the first convert()
    if argv[2] == "--imports-only":
        return 0
    os.makedirs(argv[3], exist_ok=True)
    for path in sorted(glob.glob(os.path.join(argv[2], "*.dcm"))):
        out = os.path.join(argv[3], os.path.basename(path)[:-4] + ".jpg")
        if not cv2.imwrite(out, ref.convert(path)):
            raise SystemExit(f"cannot write {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
