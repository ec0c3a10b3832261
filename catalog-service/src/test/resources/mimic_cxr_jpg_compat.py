"""Reads a release exactly the way MIMIC-CXR-JPG users do, and checks that it behaves like the
published dataset: same files, columns and dtypes, joins on the id columns, every JPG found.

Usage: python3 mimic_cxr_jpg_compat.py RELEASE_DIR [--require-images]
Exit status 0 when compatible; prints a JSON summary on the last line.
"""
import json
import os
import sys

import pandas as pd

LABELS = ['Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Enlarged Cardiomediastinum', 'Fracture',
          'Lung Lesion', 'Lung Opacity', 'No Finding', 'Pleural Effusion', 'Pleural Other', 'Pneumonia',
          'Pneumothorax', 'Support Devices']
METADATA = ['dicom_id', 'subject_id', 'study_id', 'PerformedProcedureStepDescription', 'ViewPosition', 'Rows',
            'Columns', 'StudyDate', 'StudyTime', 'ProcedureCodeSequence_CodeMeaning', 'ViewCodeSequence_CodeMeaning',
            'PatientOrientationCodeSequence_CodeMeaning']


def fail(msg):
    print('INCOMPATIBLE: ' + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


root = sys.argv[1]
require_images = '--require-images' in sys.argv

# As in the MIMIC-CXR-JPG tutorials: explicit compression, and the default (inferred from .gz).
meta = pd.read_csv(os.path.join(root, 'mimic-cxr-2.0.0-metadata.csv.gz'), compression='gzip')
split = pd.read_csv(os.path.join(root, 'mimic-cxr-2.0.0-split.csv.gz'))
chexpert = pd.read_csv(os.path.join(root, 'mimic-cxr-2.0.0-chexpert.csv.gz'), compression='gzip')
negbio = pd.read_csv(os.path.join(root, 'mimic-cxr-2.0.0-negbio.csv.gz'))

check(list(meta.columns) == METADATA, 'metadata columns %s' % list(meta.columns))
check(list(split.columns) == ['dicom_id', 'study_id', 'subject_id', 'split'], 'split columns %s' % list(split.columns))
for name, df in (('chexpert', chexpert), ('negbio', negbio)):
    check(list(df.columns) == ['subject_id', 'study_id'] + LABELS, '%s columns %s' % (name, list(df.columns)))
    for c in LABELS:
        check(str(df[c].dtype) == 'float64', '%s %s dtype %s' % (name, c, df[c].dtype))
        values = set(df[c].dropna().unique())
        allowed = {1.0} if c == 'No Finding' else {1.0, 0.0, -1.0}
        check(values <= allowed, '%s %s values %s' % (name, c, values))
    check(str(df['subject_id'].dtype) == 'int64' and str(df['study_id'].dtype) == 'int64', name + ' id dtypes')
    check(not df.duplicated(['subject_id', 'study_id']).any(), name + ': one row per study')

for c in ('subject_id', 'study_id', 'Rows', 'Columns', 'StudyDate'):
    check(str(meta[c].dtype) == 'int64', 'metadata %s dtype %s' % (c, meta[c].dtype))
check(str(meta['StudyTime'].dtype) == 'float64', 'metadata StudyTime dtype %s' % meta['StudyTime'].dtype)
check(str(meta['dicom_id'].dtype) == 'object', 'dicom_id dtype')
check(meta['dicom_id'].str.fullmatch(r'[0-9a-f]{8}(-[0-9a-f]{8}){4}').all(), 'dicom_id format')
check(meta['subject_id'].between(10000000, 19999999).all(), 'subject_id range')
check(meta['study_id'].between(50000000, 59999999).all(), 'study_id range')
check(meta['StudyTime'].between(0, 240000).all(), 'StudyTime range')
check(set(split['split']) <= {'train', 'validate', 'test'}, 'split values %s' % set(split['split']))

# The joins researchers write.
df = meta.merge(split, on=['dicom_id', 'study_id', 'subject_id'], how='inner')
check(len(df) == len(meta) == len(split), 'metadata and split do not join one to one (%d, %d, %d)'
      % (len(meta), len(split), len(df)))
df = df.merge(chexpert, on=['subject_id', 'study_id'], how='left')
check(len(df) == len(meta), 'chexpert join duplicated images')
studies = set(zip(meta['subject_id'], meta['study_id']))
for name, labels in (('chexpert', chexpert), ('negbio', negbio)):
    check(set(zip(labels['subject_id'], labels['study_id'])) <= studies, name + ' has studies without images')
check((df.groupby('subject_id')['split'].nunique() == 1).all(), 'a subject is in several splits')

# Image paths as in the MIMIC-CXR-JPG README.
df['path'] = ('files/p' + df['subject_id'].astype(str).str[:2] + '/p' + df['subject_id'].astype(str)
              + '/s' + df['study_id'].astype(str) + '/' + df['dicom_id'] + '.jpg')
with open(os.path.join(root, 'IMAGE_FILENAMES')) as f:
    names = [line.strip() for line in f if line.strip()]
check(sorted(names) == sorted(df['path']), 'IMAGE_FILENAMES differs from the metadata paths')
found = sum(os.path.isfile(os.path.join(root, p)) for p in df['path'])
if require_images:
    check(found == len(df), '%d of %d JPGs missing' % (len(df) - found, len(df)))

print(json.dumps({'images': int(len(meta)), 'studies': int(meta['study_id'].nunique()),
                  'subjects': int(meta['subject_id'].nunique()), 'chexpert_rows': int(len(chexpert)),
                  'negbio_rows': int(len(negbio)), 'jpgs_found': int(found),
                  'splits': {k: int(v) for k, v in split['split'].value_counts().items()},
                  'pandas': pd.__version__}))
