package org.cxr.ingest.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.NanoTimeGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * The MLLP listener and the ORU^R01 handling against HAPI's own MLLP client (and HAPI's MLLP
 * writer for messages HAPI itself would not build), with an intake function that records what
 * it is given. The intake behind it (matching, storing) is tested in HospitalIntakeTest.
 */
class Hl7MllpTest {
    static final String REPORT = "MSH|^~\\&|RIS|GENERAL|CXR|INGEST|20240105103000||ORU^R01^ORU_R01|CTRL-1|P|2.5.1|||||USA|UNICODE UTF-8\r"
            + "PID|1||MRN0042^^^GENERAL^MR~88776^^^STATE^SS||O'Neil-Smith^Mary^Ann||19561103|F\r"
            + "PV1|1|O\r"
            + "ORC|RE|PL1234|ACC-2024-77\r"
            + "OBR|1|PL1234|ACC-2024-77^RIS|71046^XR CHEST 2 VIEWS^CPT|||20240105093000|||||||||||||||20240105102900|||F\r"
            + "OBX|1|FT|18782-3^RADIOLOGY STUDY OBSERVATION^LN||EXAMINATION: CHEST (PA AND LAT)\\.br\\\\.br\\INDICATION: cough \\T\\ fever||||||F\r"
            + "OBX|2|TX|18782-3^RADIOLOGY STUDY OBSERVATION^LN||FINDINGS: Heart size normal. No effusion~Lungs clear \\F\\ no focal consolidation.||||||F\r"
            + "OBX|3|ST|19005-8^IMPRESSION^LN||IMPRESSION: No acute cardiopulmonary process.||||||F\r"
            + "OBX|4|NM|8867-4^HEART RATE^LN||72|/min|||||F\r"
            + "OBX|5|ST|113014^DICOM Study^DCM||1.2.826.0.1.3680043.8.498.77||||||F\r";

    HapiContext hapi;
    MllpServer server;
    final List<RisReport> received = new CopyOnWriteArrayList<>();
    volatile Function<RisReport, RisOutcome> answer = r -> RisOutcome.of(RisOutcome.Status.ACCEPTED, null, null);

    @BeforeEach
    void start() throws IOException {
        Hl7Messages messages = new Hl7Messages(new Hl7Messages.Settings(3, Set.of("P"), StandardCharsets.UTF_8,
                List.of(AllowedSender.parse("ris=RIS^GENERAL@127.0.0.1"), AllowedSender.parse("LAB"))));
        server = MllpServer.start("127.0.0.1", 0, new MllpServer.Limits(64 * 1024, 4, Duration.ofSeconds(30), Duration.ofSeconds(5)),
                new MllpServer.Handler() {
                    @Override
                    public byte[] handle(byte[] message, java.net.InetAddress remote) {
                        return messages.handle(message, remote, r -> {
                            received.add(r);
                            return answer.apply(r);
                        }).bytes();
                    }

                    @Override
                    public byte[] tooLarge(int limit, java.net.InetAddress remote) {
                        return messages.tooLarge(limit).bytes();
                    }
                });
        hapi = new DefaultHapiContext();
        hapi.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setIdGenerator(new NanoTimeGenerator());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        hapi.close();
    }

    Message send(String er7) throws Exception {
        Connection c = hapi.newClient("127.0.0.1", server.port(), false);
        try {
            return c.getInitiator().sendAndReceive(hapi.getPipeParser().parse(er7));
        } finally {
            c.close();
        }
    }

    /** HAPI's MLLP framing of a raw string, for messages HAPI's parser would not build. */
    String sendRaw(String raw) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            new MinLLPWriter(s.getOutputStream()).writeMessage(raw);
            return new MinLLPReader(s.getInputStream()).getMessage();
        }
    }

    static String get(Message m, String path) throws Exception {
        return new Terser(m).get(path);
    }

    @Test
    void realisticReportIsAssembledInOrderAndAcknowledged() throws Exception {
        Message ack = send(REPORT);
        assertThat(get(ack, "/MSA-1")).isEqualTo("AA");
        assertThat(get(ack, "/MSA-2")).isEqualTo("CTRL-1");
        assertThat(ack.encode()).doesNotContain("ERR|");
        assertThat(received).hasSize(1);
        RisReport r = received.get(0);
        assertThat(r.accessionNumber()).isEqualTo("ACC-2024-77");
        assertThat(r.status()).isEqualTo("F");
        assertThat(r.studyInstanceUid()).isEqualTo("1.2.826.0.1.3680043.8.498.77");
        assertThat(r.text()).isEqualTo("""
                EXAMINATION: CHEST (PA AND LAT)

                INDICATION: cough & fever
                FINDINGS: Heart size normal. No effusion
                Lungs clear | no focal consolidation.
                IMPRESSION: No acute cardiopulmonary process.""");
        assertThat(r.patientIds()).containsExactly(new RisReport.PatientId("MRN0042", "GENERAL", "MR"),
                new RisReport.PatientId("88776", "STATE", "SS"));
        assertThat(r.patientNameTokens()).contains("Neil", "Smith", "Mary", "Ann");
    }

    @Test
    void correctedAndOlderVersionsAndTheOtherAccessionField() throws Exception {
        String v23 = REPORT.replace("|2.5.1|||||USA|UNICODE UTF-8", "|2.3").replace("CTRL-1", "CTRL-2")
                .replace("|||F\rOBX|1", "|||C\rOBX|1");
        Message ack = send(v23);
        assertThat(get(ack, "/MSA-1")).isEqualTo("AA");
        assertThat(received.get(0).status()).isEqualTo("C");
    }

    @Test
    void notFinalResultsAreAcceptedWithAWarning() throws Exception {
        answer = r -> RisOutcome.of(RisOutcome.Status.IGNORED, "PRELIMINARY", "preliminary result not stored; send the final one");
        Message ack = send(REPORT.replace("|||F\rOBX|1", "|||P\rOBX|1"));
        assertThat(get(ack, "/MSA-1")).isEqualTo("AA");
        assertThat(get(ack, "/ERR-4")).isEqualTo("W");
        assertThat(get(ack, "/ERR-8")).contains("preliminary");
        assertThat(received.get(0).status()).isEqualTo("P");
    }

    @Test
    void waitingForImagesIsAcceptedWithInformation() throws Exception {
        answer = r -> RisOutcome.of(RisOutcome.Status.WAITING, "UNKNOWN_STUDY", "held until the study's images arrive");
        Message ack = send(REPORT);
        assertThat(get(ack, "/MSA-1")).isEqualTo("AA");
        assertThat(get(ack, "/ERR-4")).isEqualTo("I");
    }

    @Test
    void contentErrorsAreAeWithCodeAndLocation() throws Exception {
        Message ack = send(REPORT.replace("ACC-2024-77^RIS", ""));
        assertThat(get(ack, "/MSA-1")).isEqualTo("AE");
        assertThat(get(ack, "/ERR-3-1")).isEqualTo("101");
        assertThat(get(ack, "/ERR-2-1")).isEqualTo("OBR");
        assertThat(get(ack, "/ERR-2-3")).isEqualTo("3");
        assertThat(received).isEmpty();

        answer = r -> RisOutcome.of(RisOutcome.Status.REJECTED, "ID_CLASH", "the study belongs to another patient");
        Message clash = send(REPORT);
        assertThat(get(clash, "/MSA-1")).isEqualTo("AE");
        assertThat(get(clash, "/ERR-3-1")).isEqualTo("204");
        assertThat(get(clash, "/ERR-8")).isEqualTo("ID_CLASH: the study belongs to another patient").doesNotContain("MRN0042");
    }

    @Test
    void anOutageIsArSoTheSenderTriesAgain() throws Exception {
        answer = r -> RisOutcome.of(RisOutcome.Status.UNAVAILABLE, null, "object store: down");
        Message ack = send(REPORT);
        assertThat(get(ack, "/MSA-1")).isEqualTo("AR");
        assertThat(get(ack, "/ERR-3-1")).isEqualTo("207");
    }

    @Test
    void malformedMessagesAreRefusedAndTheListenerGoesOn() throws Exception {
        String noMsh = sendRaw("PID|1||MRN0042\rOBR|1||ACC1\r");
        assertThat(noMsh).contains("MSA|AR").contains("100^Segment sequence error");

        String adt = sendRaw(REPORT.replace("ORU^R01^ORU_R01", "ADT^A01^ADT_A01"));
        assertThat(adt).contains("MSA|AR|CTRL-1").contains("200^Unsupported message type");

        String wrongEvent = sendRaw(REPORT.replace("ORU^R01^ORU_R01", "ORU^R30"));
        assertThat(wrongEvent).contains("MSA|AR|CTRL-1").contains("201^Unsupported event code");

        String encoding = sendRaw(REPORT.replace("MSH|^~\\&|", "MSH|^^^^|"));
        assertThat(encoding).contains("MSA|AR").contains("102^Data type error").contains("encoding characters");

        String training = sendRaw(REPORT.replace("|CTRL-1|P|", "|CTRL-1|T|"));
        assertThat(training).contains("MSA|AR|CTRL-1").contains("202^Unsupported processing id");

        String version = sendRaw(REPORT.replace("|2.5.1|", "|9.9|"));
        assertThat(version).contains("MSA|AR|CTRL-1").contains("203^Unsupported version id");

        String stranger = sendRaw(REPORT.replace("|RIS|GENERAL|", "|BILLING|GENERAL|"));
        assertThat(stranger).contains("MSA|AR|CTRL-1").contains("not allowed");

        String latin1Declared = REPORT.replace("UNICODE UTF-8", "8859/1").replace("Mary", "M\u00e4ry");
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(frame(latin1Declared.getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(new MinLLPReader(s.getInputStream()).getMessage()).contains("MSA|AA|CTRL-1");
            // and on the same connection, bytes that are not UTF-8 in a message that says UTF-8
            s.getOutputStream().write(frame(REPORT.replace("Mary", "M\u00e4ry").getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(new MinLLPReader(s.getInputStream()).getMessage()).contains("MSA|AR|CTRL-1").contains("character set");
        }
        assertThat(received).hasSize(1);
        assertThat(received.get(0).patientNameTokens()).contains("M\u00e4ry");

        Message ok = send(REPORT);
        assertThat(get(ok, "/MSA-1")).isEqualTo("AA");
        assertThat(received).hasSize(2);
        assertThat(String.join("\n", noMsh, adt, encoding, stranger)).doesNotContain("MRN0042").doesNotContain("ACC-2024-77");
    }

    @Test
    void anOversizedMessageIsRefusedAndItsConnectionClosed() throws Exception {
        String huge = REPORT + "OBX|6|TX|X||" + "A".repeat(70 * 1024) + "||||||F\r";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(frame(huge.getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException closedEarly) {
                // the server may close before everything is written
            }
            InputStream in = s.getInputStream();
            assertThat(new MinLLPReader(in).getMessage()).contains("MSA|AR").contains("over 65536 bytes");
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(received).isEmpty();
        assertThat(get(send(REPORT), "/MSA-1")).isEqualTo("AA");
    }

    static byte[] frame(byte[] message) {
        byte[] b = new byte[message.length + 3];
        b[0] = MllpServer.START;
        System.arraycopy(message, 0, b, 1, message.length);
        b[b.length - 2] = MllpServer.END;
        b[b.length - 1] = MllpServer.CR;
        return b;
    }

    @Test
    void formattingCommands() {
        var st = new ca.uhn.hl7v2.model.v251.datatype.ST(new ACK());
        try {
            st.setValue("a\\.br\\b\\.sp 2\\c\\H\\bold\\N\\\\X0D0A\\d\\.in+4\\e\\Zlocal\\f");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(Hl7Messages.format(st)).isEqualTo("a\nb\nc" + "bold" + "\nd" + "e" + "f");
    }
}
