package org.cxr.ingest.hl7;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cxr.ingest.domain.deid.InstanceHeader;
import org.jboss.logging.Logger;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Severity;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.ERR;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.NanoTimeGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * HL7 v2 ORU^R01 in, ACK out. Checks what HAPI does not (MSH first, well-formed encoding
 * characters, the sender on the allow-list, the character set of MSH-18), parses with HAPI into
 * v2.5.1 structures whatever the version (2.3 and later), and turns every OBR with its OBX texts
 * into a {@link RisReport} for the intake function. The ACK is AA when every report was taken
 * (with an informational or warning ERR for one that waits for its images or is not final), AE
 * when a report was refused for its content (ERR with the HL7 error code, the location and the
 * reason), AR when the message itself is refused or the platform is unavailable (send again
 * later). ERR texts never quote a value from the message.
 */
public final class Hl7Messages {
    private static final Logger LOG = Logger.getLogger(Hl7Messages.class);
    /** DICOM codes an OBX may name the Study Instance UID with: DCM 110180 "Study Instance UID", 113014 "DICOM Study". */
    private static final Set<String> STUDY_UID_CODES = Set.of("110180", "113014");
    private static final Set<String> TEXT_TYPES = Set.of("TX", "FT", "ST");
    /** OBX-11 statuses of observations that are not part of the result (deleted, wrong, cancelled). */
    private static final Set<String> DROPPED_OBSERVATIONS = Set.of("D", "W", "X");
    private static final Pattern FIELD = Pattern.compile("OBR-(\\d{1,2})");
    private static final Pattern FORMATTING = Pattern.compile("\\\\(\\.br|\\.sp ?\\d*|\\.fi|\\.nf|\\.ce|\\.in ?[+-]?\\d*"
            + "|\\.ti ?[+-]?\\d*|\\.sk ?[+-]?\\d*|H|N|X[0-9A-Fa-f]*|Z[^\\\\]*)\\\\");
    /** HL7 table 0211 character sets ingest reads. */
    private static final Map<String, Charset> CHARSETS = Map.ofEntries(
            Map.entry("ASCII", StandardCharsets.US_ASCII), Map.entry("ISO IR6", StandardCharsets.US_ASCII),
            Map.entry("8859/1", StandardCharsets.ISO_8859_1), Map.entry("ISO IR100", StandardCharsets.ISO_8859_1),
            Map.entry("8859/2", Charset.forName("ISO-8859-2")), Map.entry("8859/5", Charset.forName("ISO-8859-5")),
            Map.entry("8859/7", Charset.forName("ISO-8859-7")), Map.entry("8859/9", Charset.forName("ISO-8859-9")),
            Map.entry("8859/15", Charset.forName("ISO-8859-15")), Map.entry("UNICODE UTF-8", StandardCharsets.UTF_8),
            Map.entry("UNICODE", StandardCharsets.UTF_8), Map.entry("UTF-8", StandardCharsets.UTF_8),
            Map.entry("GB 18030-2000", Charset.forName("GB18030")), Map.entry("BIG-5", Charset.forName("Big5")));

    /** How a deployment reads its RIS feed. */
    public record Settings(int accessionField, Set<String> processingIds, Charset defaultCharset, List<AllowedSender> senders) {
    }

    private final Settings settings;
    private final PipeParser parser;
    private final HapiContext context;

    public Hl7Messages(Settings settings) {
        this.settings = settings;
        this.context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        // content rules are ours (a RIS's timestamps and lengths are often off); no id file in the working directory
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new NanoTimeGenerator());
        this.parser = context.getPipeParser();
    }

    /** {@code OBR-3} → 3. */
    public static int accessionField(String spec) {
        Matcher m = FIELD.matcher(spec.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("accession field must be OBR-<n> (e.g. OBR-3, OBR-18), not " + spec);
        }
        return Integer.parseInt(m.group(1));
    }

    /** An error to report in the ACK: the HL7 error code (table 0357), where, how severe, and why. */
    record Problem(ErrorCode code, Severity severity, String segment, int segmentRep, int field, String text) {
    }

    /** An acknowledgement: its bytes (in the message's character set) and MSA-1. */
    public record Ack(byte[] bytes, AcknowledgmentCode code) {
    }

    /** Handles one message: the ACK to send back. */
    public Ack handle(byte[] raw, InetAddress remote, Function<RisReport, RisOutcome> intake) {
        String text;
        Charset charset;
        Header header = Header.read(raw);
        if (header == null) {
            return refuse(null, StandardCharsets.US_ASCII, ErrorCode.SEGMENT_SEQUENCE_ERROR, "the message does not start with an MSH segment");
        }
        String encodingProblem = header.encodingProblem();
        if (encodingProblem != null) {
            return refuse(null, StandardCharsets.US_ASCII, ErrorCode.DATA_TYPE_ERROR, "MSH-2 encoding characters: " + encodingProblem);
        }
        charset = header.charset() == null ? settings.defaultCharset() : CHARSETS.get(header.charset().toUpperCase(Locale.ROOT));
        if (charset == null) {
            return refuse(header, StandardCharsets.US_ASCII, ErrorCode.TABLE_VALUE_NOT_FOUND, "MSH-18 character set not supported");
        }
        try {
            text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return refuse(header, charset, ErrorCode.DATA_TYPE_ERROR, "bytes invalid in the character set " + charset.name());
        }
        AllowedSender sender = settings.senders().stream().filter(s -> s.admits(header.application(), header.facility(), remote))
                .findFirst().orElse(null);
        if (sender == null) {
            LOG.infof("HL7 message from %s refused: sending application/facility not allowed from this address", remote.getHostAddress());
            return refuse(header, charset, ErrorCode.APPLICATION_INTERNAL_ERROR,
                    "sending application (MSH-3/MSH-4) not allowed from this address");
        }
        if (!"ORU".equals(header.messageCode())) {
            return refuse(header, charset, ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "only ORU^R01 is accepted here");
        }
        if (!"R01".equals(header.triggerEvent())) {
            return refuse(header, charset, ErrorCode.UNSUPPORTED_EVENT_CODE, "only ORU^R01 is accepted here");
        }
        if (!settings.processingIds().contains(header.processingId())) {
            return refuse(header, charset, ErrorCode.UNSUPPORTED_PROCESSING_ID, "processing id (MSH-11) not accepted here");
        }
        Message message;
        try {
            message = parser.parse(text);
        } catch (HL7Exception e) {
            boolean version = e.getMessage() != null && e.getMessage().contains("version");
            return refuse(header, charset, version ? ErrorCode.UNSUPPORTED_VERSION_ID : ErrorCode.SEGMENT_SEQUENCE_ERROR,
                    version ? "HL7 version (MSH-12) not supported" : "the message cannot be parsed as ORU^R01");
        }
        if (!(message instanceof ORU_R01 oru)) {
            return refuse(header, charset, ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "only ORU^R01 is accepted here");
        }
        return acknowledge(message, charset, reports(oru, intake));
    }

    /** The AR for a message over the listener's size limit (nothing of it was read as HL7). */
    public Ack tooLarge(int limit) {
        return refuse(null, StandardCharsets.US_ASCII, ErrorCode.APPLICATION_INTERNAL_ERROR,
                "message over " + limit + " bytes; the connection is closed");
    }

    private record Taken(AcknowledgmentCode code, List<Problem> problems) {
    }

    private Taken reports(ORU_R01 oru, Function<RisReport, RisOutcome> intake) {
        List<Problem> problems = new ArrayList<>();
        boolean rejected = false;
        boolean unavailable = false;
        int orders = 0;
        try {
            String zdsUid = zdsStudyUid(oru);
            for (ORU_R01_PATIENT_RESULT result : oru.getPATIENT_RESULTAll()) {
                PID pid = result.getPATIENT().getPID();
                List<RisReport.PatientId> patientIds = patientIds(pid);
                Set<String> nameTokens = nameTokens(pid);
                for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
                    orders++;
                    OBR obr = order.getOBR();
                    int rep = orders;
                    String accession = trimToNull(Terser.get(obr, settings.accessionField(), 0, 1, 1));
                    if (accession == null) {
                        problems.add(new Problem(ErrorCode.REQUIRED_FIELD_MISSING, Severity.ERROR, "OBR", rep,
                                settings.accessionField(), "no accession number in OBR-" + settings.accessionField()));
                        rejected = true;
                        continue;
                    }
                    Body body = body(order);
                    String status = trimToNull(obr.getResultStatus().getValue());
                    if (status == null) {
                        status = body.observationStatus();
                    }
                    if (status == null) {
                        problems.add(new Problem(ErrorCode.REQUIRED_FIELD_MISSING, Severity.ERROR, "OBR", rep, 25,
                                "no result status in OBR-25 or OBX-11"));
                        rejected = true;
                        continue;
                    }
                    String studyUid = body.studyUid() != null ? body.studyUid() : zdsUid;
                    RisOutcome o = intake.apply(new RisReport(accession, studyUid, status.toUpperCase(Locale.ROOT), body.text(),
                            patientIds, nameTokens));
                    switch (o.status()) {
                        case ACCEPTED, UNCHANGED -> {
                        }
                        case WAITING -> problems.add(new Problem(ErrorCode.MESSAGE_ACCEPTED, Severity.INFO, "OBR", rep,
                                settings.accessionField(), o.message()));
                        case IGNORED -> problems.add(new Problem(ErrorCode.MESSAGE_ACCEPTED, Severity.WARNING, "OBR", rep, 25,
                                o.message()));
                        case REJECTED -> {
                            rejected = true;
                            problems.add(new Problem(errorCode(o.reason()), Severity.ERROR, "OBR", rep,
                                    settings.accessionField(), o.reason() + ": " + o.message()));
                        }
                        case UNAVAILABLE -> {
                            unavailable = true;
                            problems.add(new Problem(ErrorCode.APPLICATION_INTERNAL_ERROR, Severity.ERROR, "OBR", rep, 0,
                                    "temporarily unavailable, send again later"));
                        }
                    }
                }
            }
        } catch (HL7Exception e) {
            return new Taken(AcknowledgmentCode.AE, List.of(new Problem(ErrorCode.SEGMENT_SEQUENCE_ERROR, Severity.ERROR,
                    null, 0, 0, "the message cannot be read as ORU^R01")));
        }
        if (orders == 0) {
            return new Taken(AcknowledgmentCode.AE, List.of(new Problem(ErrorCode.SEGMENT_SEQUENCE_ERROR, Severity.ERROR,
                    "OBR", 1, 0, "no OBR segment: nothing to report")));
        }
        AcknowledgmentCode code = unavailable ? AcknowledgmentCode.AR : rejected ? AcknowledgmentCode.AE : AcknowledgmentCode.AA;
        return new Taken(code, problems);
    }

    private static ErrorCode errorCode(String reason) {
        return switch (reason == null ? "" : reason) {
            case "ID_CLASH" -> ErrorCode.UNKNOWN_KEY_IDENTIFIER;
            case "EMPTY_REPORT", "MISSING_UID" -> ErrorCode.REQUIRED_FIELD_MISSING;
            case "UNDECODABLE_REPORT" -> ErrorCode.DATA_TYPE_ERROR;
            case "TOO_LARGE" -> ErrorCode.APPLICATION_INTERNAL_ERROR;
            default -> ErrorCode.APPLICATION_INTERNAL_ERROR;
        };
    }

    /** The report text of one OBR: its TX/FT/ST observations in order, one line each (repetitions one line each). */
    private record Body(String text, String studyUid, String observationStatus) {
    }

    private static Body body(ORU_R01_ORDER_OBSERVATION order) throws HL7Exception {
        List<String> lines = new ArrayList<>();
        String studyUid = null;
        String status = null;
        for (ORU_R01_OBSERVATION observation : order.getOBSERVATIONAll()) {
            OBX obx = observation.getOBX();
            String type = trimToNull(obx.getValueType().getValue());
            String obsStatus = trimToNull(obx.getObservationResultStatus().getValue());
            String code = trimToNull(obx.getObservationIdentifier().getIdentifier().getValue());
            if (code != null && STUDY_UID_CODES.contains(code)) {
                studyUid = firstValue(obx);
                continue;
            }
            if (type == null || !TEXT_TYPES.contains(type.toUpperCase(Locale.ROOT))
                    || obsStatus != null && DROPPED_OBSERVATIONS.contains(obsStatus.toUpperCase(Locale.ROOT))) {
                continue;
            }
            if (status == null) {
                status = obsStatus;
            }
            Varies[] values = obx.getObservationValue();
            if (values.length == 0) {
                lines.add(""); // an empty OBX is a blank line in many feeds
            }
            for (Varies v : values) {
                lines.add(format(v.getData()).stripTrailing());
            }
        }
        return new Body(String.join("\n", lines), studyUid, status);
    }

    private static String firstValue(OBX obx) {
        Varies[] values = obx.getObservationValue();
        if (values.length == 0) {
            return null;
        }
        Type t = values[0].getData();
        String v = t instanceof Primitive p ? p.getValue() : Terser.getPrimitive(t, 1, 1).getValue();
        return trimToNull(v);
    }

    /**
     * The text of a value with HL7 formatting commands resolved: HAPI has already turned the
     * delimiter escapes (\F\ \S\ \T\ \R\ \E\) into characters; line breaks (\.br\, \.sp\) become
     * newlines, hex escapes (\Xhh\) their characters, and the other commands (indent, centre,
     * highlighting, local escapes) are dropped.
     */
    static String format(Type data) {
        String s = data instanceof Primitive p ? p.getValue() : data.toString();
        if (s == null) {
            return "";
        }
        Matcher m = FORMATTING.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String cmd = m.group(1);
            String replacement;
            if (cmd.equals(".br") || cmd.startsWith(".sp")) {
                replacement = "\n";
            } else if (cmd.startsWith("X") && cmd.length() > 1 && cmd.length() % 2 == 1) {
                replacement = new String(HexFormat.of().parseHex(cmd.substring(1)), StandardCharsets.ISO_8859_1)
                        .replace("\r\n", "\n").replace('\r', '\n');
            } else {
                replacement = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String zdsStudyUid(Message m) {
        try {
            return trimToNull(new Terser(m).get("/.ZDS-1-1"));
        } catch (HL7Exception e) {
            return null; // no ZDS segment
        }
    }

    private static List<RisReport.PatientId> patientIds(PID pid) {
        List<RisReport.PatientId> ids = new ArrayList<>();
        for (CX cx : pid.getPatientIdentifierList()) {
            String id = trimToNull(cx.getIDNumber().getValue());
            if (id != null) {
                ids.add(new RisReport.PatientId(id, trimToNull(cx.getAssigningAuthority().getNamespaceID().getValue()),
                        trimToNull(cx.getIdentifierTypeCode().getValue())));
            }
        }
        return ids;
    }

    /** The patient's name tokens (family, given, middle of every PID-5 repetition), as ingest reads DICOM PN. */
    private static Set<String> nameTokens(PID pid) {
        Set<String> tokens = new LinkedHashSet<>();
        for (XPN n : pid.getPatientName()) {
            String pn = String.join("^", nz(n.getFamilyName().getSurname().getValue()), nz(n.getGivenName().getValue()),
                    nz(n.getSecondAndFurtherGivenNamesOrInitialsThereof().getValue()));
            tokens.addAll(InstanceHeader.nameTokens(pn));
        }
        return tokens;
    }

    // ---- acknowledgements ---------------------------------------------------------------

    private Ack acknowledge(Message message, Charset charset, Taken taken) {
        try {
            ACK ack = (ACK) message.generateACK(taken.code(), null);
            addErrors(ack, taken.problems());
            return new Ack(ack.encode().getBytes(charset), taken.code());
        } catch (Exception e) {
            LOG.warnf("cannot build the ACK: %s", e.getClass().getSimpleName());
            return refuse(null, charset, ErrorCode.APPLICATION_INTERNAL_ERROR, "internal error building the acknowledgement");
        }
    }

    /** AR for a message refused as a whole; built from scratch when the message cannot be parsed. */
    private Ack refuse(Header header, Charset charset, ErrorCode code, String text) {
        try {
            ACK ack = new ACK();
            ack.setParser(parser);
            ack.initQuickstart("ACK", header == null ? null : header.triggerEvent(), "P");
            if (header != null) {
                ack.getMSH().getSendingApplication().getNamespaceID().setValue(header.receivingApplication());
                ack.getMSH().getReceivingApplication().getNamespaceID().setValue(header.application());
                ack.getMSH().getReceivingFacility().getNamespaceID().setValue(header.facility());
                ack.getMSA().getMessageControlID().setValue(header.controlId());
            }
            ack.getMSA().getAcknowledgmentCode().setValue(AcknowledgmentCode.AR.name());
            addErrors(ack, List.of(new Problem(code, Severity.ERROR, header == null ? null : "MSH", 1, 0, text)));
            return new Ack(ack.encode().getBytes(charset), AcknowledgmentCode.AR);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a NAK", e); // our own message: a bug
        }
    }

    private static void addErrors(ACK ack, List<Problem> problems) throws HL7Exception {
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            ERR err = ack.getERR(i);
            if (p.segment() != null) {
                err.getErrorLocation(0).getSegmentID().setValue(p.segment());
                err.getErrorLocation(0).getSegmentSequence().setValue(String.valueOf(p.segmentRep()));
                if (p.field() > 0) {
                    err.getErrorLocation(0).getFieldPosition().setValue(String.valueOf(p.field()));
                }
            }
            err.getHL7ErrorCode().getIdentifier().setValue(String.valueOf(p.code().getCode()));
            err.getHL7ErrorCode().getText().setValue(p.code().getMessage());
            err.getHL7ErrorCode().getNameOfCodingSystem().setValue("HL70357");
            err.getSeverity().setValue(p.severity().getCode());
            err.getUserMessage().setValue(p.text());
        }
    }

    // ---- the MSH segment as sent ----------------------------------------------------------

    /**
     * The fields of MSH read from the raw bytes (ASCII-compatible), before any parsing: enough to
     * refuse a message and address the NAK.
     */
    record Header(char fieldSeparator, String encodingCharacters, String application, String facility,
                  String receivingApplication, String messageCode, String triggerEvent, String controlId,
                  String processingId, String charset) {

        static Header read(byte[] raw) {
            int start = 0;
            while (start < raw.length && (raw[start] == '\r' || raw[start] == '\n' || raw[start] == ' ')) {
                start++;
            }
            if (raw.length - start < 8 || raw[start] != 'M' || raw[start + 1] != 'S' || raw[start + 2] != 'H') {
                return null;
            }
            int end = start;
            while (end < raw.length && raw[end] != '\r' && raw[end] != '\n') {
                end++;
            }
            String segment = new String(raw, start, end - start, StandardCharsets.ISO_8859_1);
            char fs = segment.charAt(3);
            String[] f = segment.split(Pattern.quote(String.valueOf(fs)), -1);
            // f[0] = "MSH", f[1] = MSH-2, f[n] = MSH-(n+1)
            String enc = f.length > 1 ? f[1] : "";
            char component = enc.isEmpty() ? '^' : enc.charAt(0);
            return new Header(fs, enc, component(f, 2, component), component(f, 3, component), component(f, 4, component),
                    component(f, 8, component), component(f, 8, component, 1), field(f, 9), component(f, 10, component),
                    component(f, 17, component));
        }

        private static String field(String[] f, int i) {
            return i < f.length ? trimToNull(f[i]) : null;
        }

        private static String component(String[] f, int i, char sep) {
            return component(f, i, sep, 0);
        }

        private static String component(String[] f, int i, char sep, int c) {
            String v = field(f, i);
            if (v == null) {
                return null;
            }
            String[] parts = v.split(Pattern.quote(String.valueOf(sep)), -1);
            return c < parts.length ? trimToNull(parts[c]) : null;
        }

        /** Null when MSH-1 and MSH-2 are usable: 4 (or 5, v2.7 truncation) distinct delimiters, none a letter, digit or the field separator. */
        String encodingProblem() {
            if (Character.isLetterOrDigit(fieldSeparator) || fieldSeparator <= ' ') {
                return "field separator is a letter, digit or control character";
            }
            String e = encodingCharacters;
            if (e.length() < 4 || e.length() > 5) {
                return "must be 4 characters, found " + e.length();
            }
            if (e.chars().distinct().count() != e.length() || e.indexOf(fieldSeparator) >= 0) {
                return "delimiters must all differ";
            }
            if (e.chars().anyMatch(c -> Character.isLetterOrDigit(c) || c <= ' ')) {
                return "delimiters must not be letters, digits or spaces";
            }
            return null;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String trimToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
