package org.cxr.local.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.cxr.dimse.DimseStatus;
import org.cxr.dimse.StoreScu;
import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.Patient;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * Sends studies the way a hospital does ({@code ./cxr demo --via dimse}): the images with DICOM
 * C-STORE over one association per study ({@link StoreScu}, calling AE {@value Platform#DEMO_SENDER}),
 * then the report as an HL7 v2.5.1 ORU^R01 over MLLP (HAPI's own client), matched by ingest to the
 * images by accession number (docs/hospital-integration.md). A refusal for lack of resources (store
 * or broker down) is sent again after a pause, as a PACS or an interface engine would.
 */
final class HospitalSender implements DemoCommand.StudySender {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 10;
    private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final String host;
    private final int dimsePort;
    private final int hl7Port;
    private final ExecutorService workers;
    private final HapiContext hapi = new DefaultHapiContext();
    private final Path work;
    private final AtomicLong control = new AtomicLong();

    HospitalSender(String dimse, String hl7, int inFlight) throws IOException {
        this.host = dimse.substring(0, dimse.lastIndexOf(':'));
        this.dimsePort = Integer.parseInt(dimse.substring(dimse.lastIndexOf(':') + 1));
        this.hl7Port = Integer.parseInt(hl7.substring(hl7.lastIndexOf(':') + 1));
        this.workers = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "demo-hospital");
            t.setDaemon(true);
            return t;
        });
        hapi.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        this.work = Files.createTempDirectory("cxr-demo-dimse-");
    }

    @Override
    public CompletableFuture<DemoCommand.Sent> send(GeneratedStudy study) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> problems = new ArrayList<>();
            try {
                storeImages(study, problems);
                if (problems.isEmpty()) {
                    sendReport(study, problems);
                }
            } catch (IOException | RuntimeException e) {
                problems.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("interrupted");
            }
            return new DemoCommand.Sent(study.instances().size(), problems);
        }, workers);
    }

    private void storeImages(GeneratedStudy study, List<String> problems) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        Set<String> sopClasses = new LinkedHashSet<>();
        Set<String> syntaxes = new LinkedHashSet<>();
        try {
            for (GeneratedInstance i : study.instances()) {
                Path f = work.resolve(i.sopInstanceUid() + ".dcm");
                try (OutputStream out = Files.newOutputStream(f)) {
                    i.writeTo(out);
                }
                files.add(f);
                sopClasses.add(i.sopClassUid());
                syntaxes.add(i.transferSyntaxUid());
            }
            List<Path> pending = files;
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                List<Path> again = new ArrayList<>();
                try (StoreScu scu = StoreScu.open(host, dimsePort, Platform.DEMO_SENDER, Platform.INGEST_AE_TITLE,
                        sopClasses, syntaxes, TIMEOUT)) {
                    for (Path f : pending) {
                        DimseStatus status = scu.store(f);
                        if ((status.code() & 0xFF00) == 0xA700 && attempt < ATTEMPTS) {
                            again.add(f); // out of resources: ingest's store, broker or database is down
                        } else if (status.code() != 0) {
                            problems.add(String.format("C-STORE status 0x%04X %s", status.code(), status.comment()));
                        }
                    }
                }
                pending = again;
                if (!pending.isEmpty()) {
                    Thread.sleep(2000L * attempt);
                }
            }
        } finally {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    private void sendReport(GeneratedStudy study, List<String> problems) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                Connection c = hapi.newClient(host, hl7Port, false);
                try {
                    Message ack = c.getInitiator().sendAndReceive(hapi.getPipeParser().parse(oru(study)));
                    Terser t = new Terser(ack);
                    String code = t.get("/MSA-1");
                    if ("AA".equals(code)) {
                        return;
                    }
                    failure = "HL7 ACK " + code + " " + t.get("/MSA-3") + " " + t.get("/ERR-3-1");
                } finally {
                    c.close();
                }
            } catch (Exception e) {
                failure = "HL7: " + e.getMessage();
            }
            if (attempt >= ATTEMPTS || failure.startsWith("HL7 ACK AR")) {
                problems.add(failure);
                return;
            }
            Thread.sleep(2000L * attempt); // AE (store or database down) or no connection: the RIS sends it again
        }
    }

    /** The ORU^R01 of a study's final report: PID-3 the patient, OBR-3 the accession number, one TX OBX a line. */
    String oru(GeneratedStudy study) {
        Patient p = study.patient();
        StringBuilder m = new StringBuilder();
        m.append("MSH|^~\\&|").append(Platform.DEMO_SENDER).append("|DEMO|CXR|INGEST|")
                .append(LocalDateTime.now().format(HL7_TIME)).append("||ORU^R01^ORU_R01|DEMO-")
                .append(control.incrementAndGet()).append("|P|2.5.1|||||USA|UNICODE UTF-8\r");
        m.append("PID|1||").append(escape(p.patientId())).append("^^^")
                .append(p.issuerOfPatientId() == null ? "" : escape(p.issuerOfPatientId())).append("^MR||")
                .append(p.name() == null ? "" : p.name().replace('=', ' ')).append("\r");
        m.append("OBR|1||").append(escape(study.accessionNumber())).append("|71046^XR CHEST 2 VIEWS^CPT|||")
                .append(study.studyDate()).append("|".repeat(18)).append("F\r"); // OBR-25 result status: final
        int n = 0;
        for (String line : study.report().split("\r?\n", -1)) {
            m.append("OBX|").append(++n).append("|TX|18782-3^RADIOLOGY STUDY OBSERVATION^LN||").append(escape(line))
                    .append("||||||F\r");
        }
        return m.toString();
    }

    /** HL7 v2 escapes of the delimiters (the report is free text). */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\\' -> b.append("\\E\\");
                case '|' -> b.append("\\F\\");
                case '^' -> b.append("\\S\\");
                case '~' -> b.append("\\R\\");
                case '&' -> b.append("\\T\\");
                case '\r' -> { }
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        workers.shutdownNow();
        hapi.close();
        try (var files = Files.list(work)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(work);
    }
}
