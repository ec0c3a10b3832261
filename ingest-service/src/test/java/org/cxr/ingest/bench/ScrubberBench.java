package org.cxr.ingest.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.cxr.generator.phi.PhiCorpus;
import org.cxr.generator.phi.PhiReport;
import org.cxr.ingest.domain.deid.ReportScrubber;
import org.cxr.ingest.domain.ids.Pseudonyms;

/**
 * Report scrubber cost per MiB (single thread, CPU time, median of 7 rounds after warm-up): PHI
 * corpus dictations and adversarial inputs (runs of capitalised words, names, digits, punctuation,
 * cue words, addresses, dates), each 1 MiB; the patient-name check goes through the service's
 * keyed digest ({@link Pseudonyms#nameToken}), as in ingest. Run:
 * {@code cd ingest-service && mvn -q test-compile && java -cp
 * target/test-classes:target/classes:$(cat target/classpath.txt):$HOME/.m2/repository/org/cxr/cxr-generator/1.0.0-SNAPSHOT/cxr-generator-1.0.0-SNAPSHOT.jar
 * org.cxr.ingest.bench.ScrubberBench}
 */
public final class ScrubberBench {
    private ScrubberBench() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder corpus = new StringBuilder();
        for (PhiReport r : PhiCorpus.generate(1, 500)) {
            corpus.append(r.text()).append('\n');
        }
        Map<String, String> units = new LinkedHashMap<>();
        units.put("PHI corpus dictations", corpus.toString());
        units.put("capitalised names", "Smith Jones Brown Miller Davis Westphall O'Brien-Smith ");
        units.put("capitals and titles", "SMITH JONES WESTPHALL O'BRIEN DR. DR. MR. ");
        units.put("digits", "1234567890");
        units.put("dashed digits", "1-2-3-4-5-6-7-8-9-");
        units.put("punctuation", ".,;:!?()[]{}-/@#");
        units.put("e-mail fragments", "a@b.");
        units.put("naming cues", "discussed with discussed with signed by: Radiologist: ");
        units.put("addresses and institutions", "12 Elm Street, Springfield, MA 01103 Saint Mary General Hospital of ");
        units.put("dates and phones", "March 3 2019 03/04/2019 (617) 555-1234 ");
        Pseudonyms p = new Pseudonyms("bench-secret-0123456789");
        java.util.Set<String> patient = java.util.Set.of(p.nameToken("westphall"), p.nameToken("smith"));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        StringBuilder table = new StringBuilder("| input (1 MiB) | CPU ms, median of 7 | MiB/s |\n|---|---|---|\n");
        for (var e : units.entrySet()) {
            String unit = e.getValue();
            String text = unit.repeat((1 << 20) / unit.length() + 1).substring(0, 1 << 20);
            long[] ms = new long[7];
            for (int round = -3; round < ms.length; round++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                ReportScrubber.scrub(text, w -> patient.contains(p.nameToken(w)));
                long took = (cpu.getCurrentThreadCpuTime() - t0) / 1_000_000;
                if (round >= 0) {
                    ms[round] = took;
                }
            }
            java.util.Arrays.sort(ms);
            table.append(String.format("| %s | %d | %.0f |%n", e.getKey(), ms[3], 1000.0 / Math.max(1, ms[3])));
        }
        System.out.print(table);
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), table);
        }
    }
}
