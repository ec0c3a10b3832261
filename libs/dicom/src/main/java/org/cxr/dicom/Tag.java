package org.cxr.dicom;

/**
 * Tags of the attributes the platform uses, as {@code group << 16 | element}, named by their DICOM
 * keyword. Generated from pydicom's data dictionary; any other tag: {@link #forKeyword(String)}.
 */
public final class Tag {
    private Tag() {
    }

    public static final int FileMetaInformationGroupLength = 0x00020000;
    public static final int FileMetaInformationVersion = 0x00020001;
    public static final int MediaStorageSOPClassUID = 0x00020002;
    public static final int MediaStorageSOPInstanceUID = 0x00020003;
    public static final int TransferSyntaxUID = 0x00020010;
    public static final int ImplementationClassUID = 0x00020012;
    public static final int ImplementationVersionName = 0x00020013;
    public static final int SourceApplicationEntityTitle = 0x00020016;
    public static final int SpecificCharacterSet = 0x00080005;
    public static final int ImageType = 0x00080008;
    public static final int InstanceCreationDate = 0x00080012;
    public static final int InstanceCreationTime = 0x00080013;
    public static final int SOPClassUID = 0x00080016;
    public static final int SOPInstanceUID = 0x00080018;
    public static final int StudyDate = 0x00080020;
    public static final int SeriesDate = 0x00080021;
    public static final int AcquisitionDate = 0x00080022;
    public static final int ContentDate = 0x00080023;
    public static final int StudyTime = 0x00080030;
    public static final int SeriesTime = 0x00080031;
    public static final int AcquisitionTime = 0x00080032;
    public static final int ContentTime = 0x00080033;
    public static final int AccessionNumber = 0x00080050;
    public static final int Modality = 0x00080060;
    public static final int ConversionType = 0x00080064;
    public static final int Manufacturer = 0x00080070;
    public static final int InstitutionName = 0x00080080;
    public static final int InstitutionAddress = 0x00080081;
    public static final int ReferringPhysicianName = 0x00080090;
    public static final int StationName = 0x00081010;
    public static final int StudyDescription = 0x00081030;
    public static final int ProcedureCodeSequence = 0x00081032;
    public static final int SeriesDescription = 0x0008103E;
    public static final int InstitutionalDepartmentName = 0x00081040;
    public static final int PerformingPhysicianName = 0x00081050;
    public static final int OperatorsName = 0x00081070;
    public static final int ManufacturerModelName = 0x00081090;
    public static final int ReferencedStudySequence = 0x00081110;
    public static final int ReferencedPerformedProcedureStepSequence = 0x00081111;
    public static final int ReferencedImageSequence = 0x00081140;
    public static final int SourceImageSequence = 0x00082112;
    public static final int AnatomicRegionSequence = 0x00082218;
    public static final int DerivationDescription = 0x00082111;
    public static final int CodeValue = 0x00080100;
    public static final int CodingSchemeDesignator = 0x00080102;
    public static final int CodingSchemeVersion = 0x00080103;
    public static final int CodeMeaning = 0x00080104;
    public static final int PatientName = 0x00100010;
    public static final int PatientID = 0x00100020;
    public static final int IssuerOfPatientID = 0x00100021;
    public static final int PatientBirthDate = 0x00100030;
    public static final int PatientSex = 0x00100040;
    public static final int OtherPatientIDs = 0x00101000;
    public static final int OtherPatientNames = 0x00101001;
    public static final int PatientAge = 0x00101010;
    public static final int PatientSize = 0x00101020;
    public static final int PatientWeight = 0x00101030;
    public static final int PatientAddress = 0x00101040;
    public static final int EthnicGroup = 0x00102160;
    public static final int PatientComments = 0x00104000;
    public static final int PatientIdentityRemoved = 0x00120062;
    public static final int DeidentificationMethod = 0x00120063;
    public static final int DeidentificationMethodCodeSequence = 0x00120064;
    public static final int BodyPartExamined = 0x00180015;
    public static final int DeviceSerialNumber = 0x00181000;
    public static final int SoftwareVersions = 0x00181020;
    public static final int ProtocolName = 0x00181030;
    public static final int KVP = 0x00180060;
    public static final int ExposureTime = 0x00181150;
    public static final int XRayTubeCurrent = 0x00181151;
    public static final int Exposure = 0x00181152;
    public static final int ImagerPixelSpacing = 0x00181164;
    public static final int ViewPosition = 0x00185101;
    public static final int PatientPosition = 0x00185100;
    public static final int DetectorType = 0x00187004;
    public static final int DetectorID = 0x0018700A;
    public static final int StudyInstanceUID = 0x0020000D;
    public static final int SeriesInstanceUID = 0x0020000E;
    public static final int StudyID = 0x00200010;
    public static final int SeriesNumber = 0x00200011;
    public static final int AcquisitionNumber = 0x00200012;
    public static final int InstanceNumber = 0x00200013;
    public static final int PatientOrientation = 0x00200020;
    public static final int Laterality = 0x00200060;
    public static final int ImageLaterality = 0x00200062;
    public static final int FrameOfReferenceUID = 0x00200052;
    public static final int ImageComments = 0x00204000;
    public static final int SamplesPerPixel = 0x00280002;
    public static final int PhotometricInterpretation = 0x00280004;
    public static final int PlanarConfiguration = 0x00280006;
    public static final int NumberOfFrames = 0x00280008;
    public static final int Rows = 0x00280010;
    public static final int Columns = 0x00280011;
    public static final int PixelSpacing = 0x00280030;
    public static final int BitsAllocated = 0x00280100;
    public static final int BitsStored = 0x00280101;
    public static final int HighBit = 0x00280102;
    public static final int PixelRepresentation = 0x00280103;
    public static final int SmallestImagePixelValue = 0x00280106;
    public static final int LargestImagePixelValue = 0x00280107;
    public static final int BurnedInAnnotation = 0x00280301;
    public static final int PixelIntensityRelationship = 0x00281040;
    public static final int PixelIntensityRelationshipSign = 0x00281041;
    public static final int WindowCenter = 0x00281050;
    public static final int WindowWidth = 0x00281051;
    public static final int RescaleIntercept = 0x00281052;
    public static final int RescaleSlope = 0x00281053;
    public static final int RescaleType = 0x00281054;
    public static final int LossyImageCompression = 0x00282110;
    public static final int LossyImageCompressionRatio = 0x00282112;
    public static final int LossyImageCompressionMethod = 0x00282114;
    public static final int ModalityLUTSequence = 0x00283000;
    public static final int VOILUTSequence = 0x00283010;
    public static final int PresentationLUTShape = 0x20500020;
    public static final int RequestedProcedureDescription = 0x00321060;
    public static final int RequestedProcedureCodeSequence = 0x00321064;
    public static final int PerformedProcedureStepStartDate = 0x00400244;
    public static final int PerformedProcedureStepStartTime = 0x00400245;
    public static final int PerformedProcedureStepID = 0x00400253;
    public static final int PerformedProcedureStepDescription = 0x00400254;
    public static final int RequestAttributesSequence = 0x00400275;
    public static final int ViewCodeSequence = 0x00540220;
    public static final int ViewModifierCodeSequence = 0x00540222;
    public static final int PatientOrientationCodeSequence = 0x00540410;
    public static final int PatientOrientationModifierCodeSequence = 0x00540412;
    public static final int PatientGantryRelationshipCodeSequence = 0x00540414;
    public static final int FloatPixelData = 0x7FE00008;
    public static final int DoubleFloatPixelData = 0x7FE00009;
    public static final int PixelData = 0x7FE00010;
    public static final int Item = 0xFFFEE000;
    public static final int ItemDelimitationItem = 0xFFFEE00D;
    public static final int SequenceDelimitationItem = 0xFFFEE0DD;
    public static final int DataSetTrailingPadding = 0xFFFCFFFC;

    /** The tag of a keyword from the data dictionary, or -1 when unknown. */
    public static int forKeyword(String keyword) {
        return ElementDictionary.tagOf(keyword);
    }

    /** The tag (group, element). */
    public static int of(int group, int element) {
        return (group & 0xFFFF) << 16 | (element & 0xFFFF);
    }

    public static int group(int tag) {
        return tag >>> 16;
    }

    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** A private tag: odd group number (excluding the reserved groups 1, 3, 5, 7 and FFFF). */
    public static boolean isPrivate(int tag) {
        int g = tag >>> 16;
        return (g & 1) == 1 && g > 7 && g != 0xFFFF;
    }

    /** "(GGGG,EEEE)" in upper-case hex. */
    public static String toString(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
