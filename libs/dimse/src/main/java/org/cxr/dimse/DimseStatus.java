package org.cxr.dimse;

/**
 * A DIMSE status (PS3.7 Annex C; C-STORE statuses PS3.4 Table B.2-1) with an optional Error
 * Comment (0000,0902, at most 64 characters; it must never quote an identifying value).
 */
public record DimseStatus(int code, String comment) {
    public static final DimseStatus SUCCESS = new DimseStatus(0x0000, null);

    /** 0xA700 Refused: out of resources (a store or broker outage: the sender should retry later). */
    public static DimseStatus outOfResources(String comment) {
        return new DimseStatus(0xA700, comment);
    }

    /** 0xA701 Refused: out of resources, here because the data set is over the size limit. */
    public static DimseStatus tooLarge(String comment) {
        return new DimseStatus(0xA701, comment);
    }

    /** 0xA900 Error: data set does not match SOP class (or the command's SOP instance). */
    public static DimseStatus dataSetMismatch(String comment) {
        return new DimseStatus(0xA900, comment);
    }

    /** 0xC000 Error: cannot understand. */
    public static DimseStatus cannotUnderstand(String comment) {
        return new DimseStatus(0xC000, comment);
    }

    /** 0x0110 Processing failure. */
    public static DimseStatus processingFailure(String comment) {
        return new DimseStatus(0x0110, comment);
    }

    /** 0x0111 Duplicate SOP instance (the same SOP Instance UID was stored with other content). */
    public static DimseStatus duplicateSopInstance(String comment) {
        return new DimseStatus(0x0111, comment);
    }

    /** 0x0122 Refused: SOP class not supported (on this presentation context). */
    public static DimseStatus sopClassNotSupported(String comment) {
        return new DimseStatus(0x0122, comment);
    }

    /** 0x0211 Unrecognized operation. */
    public static DimseStatus unrecognizedOperation(String comment) {
        return new DimseStatus(0x0211, comment);
    }

    public boolean isSuccess() {
        return code == 0;
    }

    /** Warnings: 0x0001, 0xB000-0xBFFF. */
    public boolean isWarning() {
        return code == 0x0001 || (code & 0xF000) == 0xB000;
    }

    public boolean isFailure() {
        return !isSuccess() && !isWarning() && code != 0xFF00 && code != 0xFF01 && code != 0xFE00;
    }

    @Override
    public String toString() {
        return String.format("0x%04X", code) + (comment == null ? "" : " (" + comment + ")");
    }
}
