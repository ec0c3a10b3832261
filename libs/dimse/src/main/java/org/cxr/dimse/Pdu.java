package org.cxr.dimse;

import java.util.List;

/**
 * The seven protocol data units of the DICOM upper layer (PS3.8 §9.3), as decoded by
 * {@link PduCodec}. AE titles are kept without their padding spaces; UIDs without padding.
 */
public sealed interface Pdu {
    int ASSOCIATE_RQ = 0x01;
    int ASSOCIATE_AC = 0x02;
    int ASSOCIATE_RJ = 0x03;
    int P_DATA_TF = 0x04;
    int RELEASE_RQ = 0x05;
    int RELEASE_RP = 0x06;
    int ABORT = 0x07;

    /** The only application context name of DICOM (PS3.7 Annex A). */
    String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    int type();

    /** A-ASSOCIATE-RQ (type 1). */
    record AssociateRq(int protocolVersion, String calledAe, String callingAe, String applicationContext,
                       List<PresentationContextRq> contexts, UserInfo userInfo) implements Pdu {
        @Override
        public int type() {
            return ASSOCIATE_RQ;
        }
    }

    /** A-ASSOCIATE-AC (type 2). The AE titles repeat the request's (PS3.8: not tested by the requestor). */
    record AssociateAc(int protocolVersion, String calledAe, String callingAe, String applicationContext,
                       List<PresentationContextAc> contexts, UserInfo userInfo) implements Pdu {
        @Override
        public int type() {
            return ASSOCIATE_AC;
        }
    }

    /**
     * A-ASSOCIATE-RJ (type 3).
     *
     * @param result 1 rejected-permanent, 2 rejected-transient
     * @param source 1 service-user, 2 service-provider (ACSE), 3 service-provider (presentation)
     * @param reason depends on the source (see the constants of {@link Reject})
     */
    record AssociateRj(int result, int source, int reason) implements Pdu {
        @Override
        public int type() {
            return ASSOCIATE_RJ;
        }
    }

    /** P-DATA-TF (type 4): one or more presentation data values. */
    record PData(List<Pdv> pdvs) implements Pdu {
        @Override
        public int type() {
            return P_DATA_TF;
        }
    }

    /** A-RELEASE-RQ (type 5). */
    record ReleaseRq() implements Pdu {
        @Override
        public int type() {
            return RELEASE_RQ;
        }
    }

    /** A-RELEASE-RP (type 6). */
    record ReleaseRp() implements Pdu {
        @Override
        public int type() {
            return RELEASE_RP;
        }
    }

    /**
     * A-ABORT (type 7).
     *
     * @param source 0 service-user, 2 service-provider
     * @param reason for the provider: see {@link AbortReason}; 0 for the user
     */
    record Abort(int source, int reason) implements Pdu {
        @Override
        public int type() {
            return ABORT;
        }
    }

    /**
     * One presentation data value: a fragment of a command or a data set. The bytes are a slice of
     * the PDU that carried it (no copy).
     */
    record Pdv(int contextId, boolean command, boolean last, byte[] array, int offset, int length) {
    }

    /** A presentation context proposed in an A-ASSOCIATE-RQ (item 0x20). */
    record PresentationContextRq(int id, String abstractSyntax, List<String> transferSyntaxes) {
    }

    /**
     * A presentation context answered in an A-ASSOCIATE-AC (item 0x21).
     *
     * @param result 0 acceptance, 1 user rejection, 2 no reason (provider rejection), 3 abstract
     *               syntax not supported, 4 transfer syntaxes not supported
     */
    record PresentationContextAc(int id, int result, String transferSyntax) {
        public static final int ACCEPTANCE = 0;
        public static final int USER_REJECTION = 1;
        public static final int NO_REASON = 2;
        public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
        public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

        public boolean accepted() {
            return result == ACCEPTANCE;
        }
    }

    /** SCP/SCU role selection sub-item (0x54): 1 = role proposed/accepted. */
    record RoleSelection(String sopClassUid, int scuRole, int scpRole) {
    }

    /**
     * User information item (0x50).
     *
     * @param maxLength                 the largest P-DATA-TF variable field the sender accepts (0 = no limit)
     * @param asyncOpsInvoked           maximum operations invoked, -1 when the sub-item is absent
     * @param asyncOpsPerformed         maximum operations performed, -1 when absent
     */
    record UserInfo(long maxLength, String implementationClassUid, String implementationVersionName,
                    int asyncOpsInvoked, int asyncOpsPerformed, List<RoleSelection> roles) {
    }

    /** A-ASSOCIATE-RJ result, source and reason values (PS3.8 §9.3.4). */
    final class Reject {
        public static final int PERMANENT = 1;
        public static final int TRANSIENT = 2;
        public static final int SOURCE_USER = 1;
        public static final int SOURCE_ACSE = 2;
        public static final int SOURCE_PRESENTATION = 3;
        /** service-user reasons */
        public static final int NO_REASON = 1;
        public static final int APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
        public static final int CALLING_AE_NOT_RECOGNIZED = 3;
        public static final int CALLED_AE_NOT_RECOGNIZED = 7;
        /** ACSE reason */
        public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 2;
        /** presentation reasons */
        public static final int TEMPORARY_CONGESTION = 1;
        public static final int LOCAL_LIMIT_EXCEEDED = 2;

        private Reject() {
        }
    }

    /** A-ABORT source and service-provider reasons (PS3.8 §9.3.8). */
    final class AbortReason {
        public static final int SOURCE_USER = 0;
        public static final int SOURCE_PROVIDER = 2;
        public static final int NOT_SPECIFIED = 0;
        public static final int UNRECOGNIZED_PDU = 1;
        public static final int UNEXPECTED_PDU = 2;
        public static final int UNRECOGNIZED_PDU_PARAMETER = 4;
        public static final int UNEXPECTED_PDU_PARAMETER = 5;
        public static final int INVALID_PDU_PARAMETER_VALUE = 6;

        private AbortReason() {
        }

        /** The reason in words, for logs and test messages. */
        public static String describe(int source, int reason) {
            if (source != SOURCE_PROVIDER) {
                return "service-user abort";
            }
            return switch (reason) {
                case UNRECOGNIZED_PDU -> "unrecognized PDU";
                case UNEXPECTED_PDU -> "unexpected PDU";
                case UNRECOGNIZED_PDU_PARAMETER -> "unrecognized PDU parameter";
                case UNEXPECTED_PDU_PARAMETER -> "unexpected PDU parameter";
                case INVALID_PDU_PARAMETER_VALUE -> "invalid PDU parameter value";
                default -> "reason not specified";
            };
        }
    }
}
