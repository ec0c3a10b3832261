package org.cxr.ingest.dimse;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.cxr.ingest.hl7.AllowedSender;
import org.cxr.ingest.hl7.Hl7Listener;
import org.cxr.ingest.hl7.Hl7Messages;
import org.cxr.ingest.hl7.MllpServer;
import org.cxr.ingest.hl7.RisOutcome;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.idgenerator.NanoTimeGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Hospital intake throughput of the whole service on the real broker, database and S3 server:
 * C-STORE from storescu (one association, then four) through the full intake (ids,
 * de-identification, storage, announcement with the broker's ack), and HL7 ORU^R01 over one
 * MLLP connection from HAPI's client, both for reports stored end to end and for the listener's
 * own cost (a no-op intake behind the same parsing and ACK). Run:
 * {@code mvn -q -pl ingest-service test -Dtest=HospitalIntakeBench -Dhospital.bench=true}
 * ({@code -Dhospital.bench.instances=200 -Dhospital.bench.bytes=1000000 -Dhospital.bench.messages=1000}).
 * Writes target/hospital-intake-bench.md.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
@EnabledIfSystemProperty(named = "hospital.bench", matches = "true")
class HospitalIntakeBench {
    @Inject
    DimseIntake dimse;
    @Inject
    Hl7Listener hl7;
    @TempDir
    Path tmp;

    @Test
    void throughput() throws Exception {
        Peers.requireDcmtk();
        int instances = Integer.getInteger("hospital.bench.instances", 200);
        int bytes = Integer.getInteger("hospital.bench.bytes", 1_000_000);
        int messages = Integer.getInteger("hospital.bench.messages", 1000);
        long run = TestDicoms.runBase();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "| what | count | per second |%n|---|---|---|%n"));
        List<String> accessions = new ArrayList<>();
        for (int associations : new int[]{1, 4}) {
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                TestDicoms.Spec small = TestDicoms.spec("MRN-BENCH-" + run, run + associations * 100_000L + i / 2, i);
                int side = (int) Math.sqrt(bytes / 2.0);
                TestDicoms.Spec spec = new TestDicoms.Spec(small.patientId(), small.studyUid(), small.seriesUid(), small.sopUid(),
                        small.view(), side, side, i);
                String accession = "ACC-BENCH-" + run + "-" + associations + "-" + i / 2;
                if (i % 2 == 0) {
                    accessions.add(accession);
                }
                Path f = tmp.resolve(associations + "-" + i + ".dcm");
                Files.write(f, HospitalFixtures.instance(spec, accession));
                files.add(f);
            }
            long before = Infra.count("select count(*) from instance where source = 'DIMSE'");
            double rate = storescu(files, associations, dimse.port().orElseThrow());
            long stored = Infra.count("select count(*) from instance where source = 'DIMSE'") - before;
            if (stored != instances) {
                throw new IllegalStateException(stored + " of " + instances + " instances recorded");
            }
            out.append(String.format(Locale.ROOT, "| C-STORE into the full intake, %d association%s, %d-byte DX | %d | %.1f |%n",
                    associations, associations == 1 ? "" : "s", bytes, instances, rate));
        }

        HapiContext hapi = new DefaultHapiContext();
        hapi.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setIdGenerator(new NanoTimeGenerator());
        try {
            List<String> stored = new ArrayList<>();
            for (int i = 0; i < Math.min(messages, accessions.size()); i++) {
                stored.add(oru("B" + i, "MRN-BENCH-" + run, accessions.get(i), "Report number " + i + " of the benchmark."));
            }
            out.append(String.format(Locale.ROOT, "| ORU^R01 stored end to end (one MLLP connection) | %d | %.1f |%n",
                    stored.size(), send(hapi, hl7.port().orElseThrow(), stored)));

            Hl7Messages parsing = new Hl7Messages(new Hl7Messages.Settings(3, Set.of("P"), StandardCharsets.UTF_8,
                    List.of(AllowedSender.parse("RIS^GENERAL"))));
            List<String> many = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                many.add(oru("N" + i, "MRN-BENCH-" + run, "ACC-NOOP-" + i, "Report number " + i + " of the benchmark."));
            }
            try (MllpServer noop = MllpServer.start("127.0.0.1", 0, new MllpServer.Limits(1 << 20, 4, Duration.ofMinutes(5),
                    Duration.ofSeconds(30)), new MllpServer.Handler() {
                @Override
                public byte[] handle(byte[] message, InetAddress remote) {
                    return parsing.handle(message, remote, r -> RisOutcome.of(RisOutcome.Status.ACCEPTED, null, null)).bytes();
                }

                @Override
                public byte[] tooLarge(int limit, InetAddress remote) {
                    return parsing.tooLarge(limit).bytes();
                }
            })) {
                send(hapi, noop.port(), many); // warm-up
                out.append(String.format(Locale.ROOT, "| ORU^R01 parsed and acknowledged, no-op intake (one MLLP connection) | %d | %.1f |%n",
                        many.size(), send(hapi, noop.port(), many)));
            }
        } finally {
            hapi.close();
        }
        System.out.println(out);
        Files.writeString(Path.of("target", "hospital-intake-bench.md"), out);
    }

    static String oru(String control, String patient, String accession, String text) {
        return "MSH|^~\\&|RIS|GENERAL|CXR|INGEST|20240105103000||ORU^R01^ORU_R01|" + control + "|P|2.5.1\r"
                + "PID|1||" + patient + "^^^SEGH^MR||Bench^Patient\r"
                + "OBR|1||" + accession + "^RIS|71046^XR CHEST^CPT||||||||||||||||||||F\r"
                + "OBX|1|TX|18782-3^RADIOLOGY REPORT^LN||FINDINGS: " + text + "||||||F\r"
                + "OBX|2|TX|18782-3^RADIOLOGY REPORT^LN||IMPRESSION: No acute disease.||||||F\r";
    }

    /** Messages/s over one connection, every ACK checked. */
    static double send(HapiContext hapi, int port, List<String> messages) throws Exception {
        Connection c = hapi.newClient("127.0.0.1", port, false);
        try {
            List<Message> parsed = new ArrayList<>();
            for (String m : messages) {
                parsed.add(hapi.getPipeParser().parse(m));
            }
            long t0 = System.nanoTime();
            for (Message m : parsed) {
                String ack = c.getInitiator().sendAndReceive(m).encode();
                if (!ack.contains("MSA|AA")) {
                    throw new IllegalStateException("not accepted: " + ack.replace('\r', '\n'));
                }
            }
            return messages.size() / (Duration.ofNanos(System.nanoTime() - t0).toMillis() / 1000.0);
        } finally {
            c.close();
        }
    }

    /** storescu processes, one association each; instances/s over the wall time. */
    static double storescu(List<Path> files, int associations, int port) throws Exception {
        List<Process> senders = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int a = 0; a < associations; a++) {
            List<String> cmd = new ArrayList<>(List.of("storescu", "-aec", "CXR_INGEST", "-aet", "STORESCU", "-xe", "-R",
                    "127.0.0.1", String.valueOf(port)));
            for (int i = a; i < files.size(); i += associations) {
                cmd.add(files.get(i).toString());
            }
            senders.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : senders) {
            if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("storescu failed: exit " + p.exitValue());
            }
        }
        return files.size() / (Duration.ofNanos(System.nanoTime() - t0).toMillis() / 1000.0);
    }
}
