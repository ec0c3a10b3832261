"""Prints the header values pydicom reads from DICOM files, for DicomSharedFilesTest.

Usage: /usr/bin/python3 pydicom_values.py FILE...
One line per value: FILE<TAB>TAG<TAB>VR<TAB>json(value); multi-values joined by a backslash.
Top-level elements with string or integer VRs, and the CodeMeaning of the first item of the
code sequences the platform exports (TAG = sequence tag + "/00080104").
"""
import json
import sys
import warnings

import pydicom

warnings.simplefilter("ignore")
STRING_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UI", "UC", "UR", "UT"}
INT_VRS = {"US", "SS", "UL", "SL"}
CODE_SEQUENCES = (0x00081032, 0x00540220, 0x00540410)


def text(value):
    if isinstance(value, (list, pydicom.multival.MultiValue)):
        return "\\".join(str(v).strip() for v in value)
    return str(value).strip()


for path in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(path, force=True, stop_before_pixels=True)
        items = list(ds.items())
    except Exception as exc:  # noqa: BLE001 - reported to the test
        print(f"{path}\tERROR\t\t{json.dumps(str(exc))}")
        continue
    for tag, _ in items:
        try:
            elem = ds[tag]
            if tag.is_private or elem.VR not in STRING_VRS | INT_VRS or elem.value is None:
                continue
            print(f"{path}\t{int(tag):08X}\t{elem.VR}\t{json.dumps(text(elem.value))}")
        except Exception:  # noqa: BLE001 - values pydicom cannot convert are not compared
            continue
    for seq in CODE_SEQUENCES:
        try:
            if seq in ds and len(ds[seq].value) > 0 and "CodeMeaning" in ds[seq].value[0]:
                print(f"{path}\t{seq:08X}/00080104\tLO\t{json.dumps(text(ds[seq].value[0].CodeMeaning))}")
        except Exception:  # noqa: BLE001
            continue
