package org.cxr.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.generator.phi.LeakScanner;
import org.cxr.generator.phi.PhiKind;
import org.cxr.generator.phi.PlantedIdentifiers;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.opentelemetry.proto.trace.v1.Span;
import io.restassured.specification.RequestSpecification;

/**
 * One trace per study, end to end, on the shared platform with its exporter on
 * ({@link OtlpReceiver}): a study uploaded through ingest's REST API with the uploader's W3C
 * {@code traceparent} ends up as spans of all four services in that one trace, each Kafka hop a
 * consumer span whose parent is the producer span of the service that sent the record, the
 * catalog's study-indexed announcement a producer span under its indexing span; and no
 * exported byte carries the study's identifiers (the PHI rule for spans: ingest's HTTP spans keep
 * neither the StudyInstanceUID of the report URL nor a query string).
 */
@Order(150)
@ExtendWith(SharedPlatform.class)
class TracingIT {
    static final Set<String> SERVICES = Set.of("ingest-service", "convert-service", "label-service", "catalog-service");

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void aStudysSpansFormOneTraceAcrossTheFourServicesWithoutItsIdentifiers(SharedPlatform platform) throws Exception {
        GeneratedStudy study = new StudyGenerator(ThreadLocalRandom.current().nextLong(1_000, 1_000_000),
                GeneratorOptions.defaults().withMaxSize(128, 128).withSyntaxes(EnumSet.of(EncodedSyntax.EXPLICIT_VR_LE)))
                .iterator().next();
        String trace = hex(16);
        String uploader = hex(8);
        String traceparent = "00-" + trace + "-" + uploader + "-01";
        String token = platform.token("uploader", "researcher");
        Supplier<RequestSpecification> upload = () -> given().baseUri(platform.url("ingest")).auth().oauth2(token)
                .header("traceparent", traceparent);
        String studyId = null;
        for (GeneratedInstance i : study.instances()) {
            studyId = upload.get().contentType("application/dicom").body(i.bytes()).post("/studies/instances").then()
                    .statusCode(200).body("results[0].status", equalTo("ACCEPTED")).extract().path("results[0].studyId");
        }
        // the report's URL names the hospital's StudyInstanceUID; identifiers in a query are refused, and not traced
        upload.get().contentType("text/plain; charset=utf-8").body(study.reportBytes())
                .queryParam("patientId", study.patient().patientId()).queryParam("accession", study.accessionNumber())
                .put("/studies/{uid}/report", study.studyInstanceUid()).then().statusCode(400);
        upload.get().contentType("text/plain; charset=utf-8").body(study.reportBytes())
                .header("X-Patient-ID", study.patient().patientId())
                .header("X-Issuer-Of-Patient-ID", study.patient().issuerOfPatientId())
                .put("/studies/{uid}/report", study.studyInstanceUid()).then().statusCode(200);

        // every record of the study indexed: 2 per instance (received, converted), 2 for the report
        int hops = 2 * study.instances().size() + 2;
        List<OtlpReceiver.Exported> spans = awaitTrace(platform, trace, hops, Duration.ofSeconds(45));
        Map<String, OtlpReceiver.Exported> byId = spans.stream()
                .collect(Collectors.toMap(OtlpReceiver.Exported::spanId, Function.identity(), (a, b) -> a));

        assertThat(spans).extracting(OtlpReceiver.Exported::service).containsAll(SERVICES);
        // ingest's request spans are children of the uploader's span
        assertThat(spans).filteredOn(s -> s.service().equals("ingest-service") && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                .hasSize(study.instances().size() + 2).allSatisfy(s -> assertThat(s.parentSpanId()).isEqualTo(uploader));
        // each Kafka hop: the consumer's span is a child of the sender's producer span, in another service
        List<OtlpReceiver.Exported> consumers = spans.stream()
                .filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_CONSUMER).toList();
        assertThat(consumers).isNotEmpty().allSatisfy(c -> {
            OtlpReceiver.Exported parent = byId.get(c.parentSpanId());
            assertThat(parent).as("parent of %s's span %s", c.service(), c.span().getName()).isNotNull();
            assertThat(parent.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
            assertThat(parent.service()).isNotEqualTo(c.service());
        });
        assertThat(consumers).extracting(OtlpReceiver.Exported::service)
                .contains("convert-service", "label-service", "catalog-service");
        // the catalog indexed each of the study's records in a span of this trace
        assertThat(consumers).filteredOn(c -> c.service().equals("catalog-service") && c.span().getName().endsWith(" index"))
                .hasSizeGreaterThanOrEqualTo(hops);
        // and announced it on cxr.study-indexed in the same trace: a producer span under one of those
        assertThat(spans).filteredOn(TracingIT::catalogProducer).isNotEmpty().allSatisfy(p -> {
            OtlpReceiver.Exported parent = byId.get(p.parentSpanId());
            assertThat(parent).as("parent of the catalog's %s", p.span().getName()).isNotNull();
            assertThat(parent.service()).isEqualTo("catalog-service");
            assertThat(parent.span().getName()).endsWith(" index");
        });

        // the PHI rule: no byte exported by any service (this trace or any other) carries the study's identifiers
        List<PlantedIdentifiers.Needle> needles = new ArrayList<>();
        needles.add(new PlantedIdentifiers.Needle(PhiKind.MRN, study.patient().patientId(), "PatientID", "utf-8"));
        needles.add(new PlantedIdentifiers.Needle(PhiKind.ACCESSION, study.accessionNumber(), "AccessionNumber", "utf-8"));
        needles.add(new PlantedIdentifiers.Needle(PhiKind.UID, study.studyInstanceUid(), "StudyInstanceUID", "utf-8"));
        for (String part : study.patient().name().split("\\^")) {
            if (part.length() >= 4) {
                needles.add(new PlantedIdentifiers.Needle(PhiKind.PATIENT_NAME, part, "PatientName", "utf-8"));
            }
        }
        study.instances().forEach(i -> needles.add(new PlantedIdentifiers.Needle(PhiKind.UID, i.sopInstanceUid(),
                "SOPInstanceUID", "utf-8")));
        needles.removeIf(n -> n.value() == null || n.value().isBlank());
        LeakScanner scanner = new LeakScanner(needles);
        List<byte[]> exported = platform.traces().bodies();
        List<LeakScanner.Hit> hits = new ArrayList<>();
        for (int i = 0; i < exported.size(); i++) {
            hits.addAll(scanner.scan(exported.get(i), "export request " + i));
        }
        assertThat(hits).as("the study's identifiers in exported spans").isEmpty();
        assertThat(spans).filteredOn(s -> s.service().equals("ingest-service"))
                .allSatisfy(s -> assertThat(s.span().getAttributesList().toString())
                        .doesNotContain(study.studyInstanceUid()).doesNotContain(study.accessionNumber()));
        System.out.printf("[e2e] trace %s of study %s: %d spans, %d Kafka hops, %d export requests scanned%n", trace,
                studyId, spans.size(), consumers.size(), exported.size());
    }

    /** A span of the catalog's sending a record (the outbox's study-indexed events). */
    private static boolean catalogProducer(OtlpReceiver.Exported s) {
        return s.service().equals("catalog-service") && s.span().getKind() == Span.SpanKind.SPAN_KIND_PRODUCER;
    }

    /**
     * The trace's spans once the catalog has indexed {@code hops} of its records and announced the
     * study (batches are exported every 200 ms).
     */
    private static List<OtlpReceiver.Exported> awaitTrace(SharedPlatform platform, String trace, int hops,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<OtlpReceiver.Exported> spans = List.of();
        while (System.nanoTime() < deadline) {
            spans = platform.traces().spans().stream().filter(s -> s.traceId().equals(trace)).toList();
            long indexed = spans.stream().filter(s -> s.service().equals("catalog-service")
                    && s.span().getName().endsWith(" index")).count();
            if (indexed >= hops && spans.stream().anyMatch(TracingIT::catalogProducer)) {
                Thread.sleep(500); // the last batches of the other services
                return platform.traces().spans().stream().filter(s -> s.traceId().equals(trace)).toList();
            }
            Thread.sleep(300);
        }
        throw new AssertionError("trace " + trace + " after " + timeout + ": " + spans.stream()
                .map(s -> s.service() + " " + s.span().getKind() + " " + s.span().getName()).toList());
    }
}
