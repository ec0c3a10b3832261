"""Decodes generated DICOM files with pydicom (its own handlers, then GDCM) and compares the
pixel arrays with the values the generator says it wrote. Prints one JSON line with the outcome."""
import json
import sys

import numpy as np
import pydicom
from pydicom import config
from pydicom.pixel_data_handlers import gdcm_handler, numpy_handler, pillow_handler, rle_handler


def decode_with_gdcm(ds):
    # called directly: pydicom's dispatcher offers GDCM only for some syntaxes, GDCM reads them all
    return gdcm_handler.get_pixeldata(ds).reshape(ds.Rows, ds.Columns)


cases = json.load(open(sys.argv[1]))
checked = []
failures = []
config.pixel_data_handlers = [numpy_handler, rle_handler, pillow_handler]
for name in ("pydicom", "gdcm"):
    for c in cases:
        try:
            ds = pydicom.dcmread(c["file"])
            actual = ds.pixel_array if name == "pydicom" else decode_with_gdcm(ds)
            dtype = ("<i2" if c["signed"] else "<u2") if c["bytes"] == 2 else "u1"
            expected = np.fromfile(c["raw"], dtype=dtype).reshape(ds.Rows, ds.Columns)
            if c["lossy"]:
                diff = np.abs(actual.astype(np.int64) - expected.astype(np.int64))
                ok = diff.mean() < 2.0 and diff.max() < 48
                detail = "mean %.2f max %d" % (diff.mean(), diff.max())
            else:
                ok = actual.dtype.itemsize == c["bytes"] and np.array_equal(actual, expected)
                detail = "dtype %s" % actual.dtype
            checked.append([name, c["syntax"]])
            if not ok:
                failures.append([name, c["file"], c["syntax"], detail])
        except Exception as e:  # a file one decoder cannot read is a failure, not a crash
            failures.append([name, c["file"], c["syntax"], repr(e)])
print(json.dumps({"checked": checked, "failures": failures}))
