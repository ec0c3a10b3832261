package org.cxr.label.eval;

/** One row of the Open-i (Indiana University) report CSV. */
public record OpenIReport(int uid, String mesh, String indication, String comparison, String findings, String impression) {

    /** The report rebuilt with MIMIC-style headers, for the section extractor. */
    public String fullText() {
        StringBuilder sb = new StringBuilder();
        append(sb, "INDICATION", indication);
        append(sb, "COMPARISON", comparison);
        append(sb, "FINDINGS", findings);
        append(sb, "IMPRESSION", impression);
        return sb.toString();
    }

    /**
     * The report in MIMIC-CXR's layout: a FINAL REPORT title, every line indented by one space
     * and wrapped at 78 columns, blank (one-space) lines between sections, the header on its own
     * line before findings and impression.
     */
    public String mimicLayout() {
        StringBuilder sb = new StringBuilder("                                 FINAL REPORT\n");
        sb.append(" EXAMINATION:  CHEST (PA AND LAT)\n \n");
        if (!indication.isBlank()) {
            sb.append(wrap(" INDICATION:  " + indication.strip())).append("\n \n");
        }
        if (!comparison.isBlank()) {
            sb.append(wrap(" COMPARISON:  " + comparison.strip())).append("\n \n");
        }
        if (!findings.isBlank()) {
            sb.append(" FINDINGS: \n \n").append(wrap(" " + findings.strip())).append("\n \n");
        }
        if (!impression.isBlank()) {
            sb.append(" IMPRESSION: \n \n").append(wrap(" " + impression.strip())).append('\n');
        }
        return sb.toString();
    }

    private static String wrap(String line) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (String word : line.strip().split("\\s+")) {
            if (col > 0 && col + 1 + word.length() > 78) {
                out.append('\n');
                col = 0;
            }
            out.append(' ').append(word);
            col += 1 + word.length();
        }
        return out.toString();
    }

    /** Findings and impression together: what the MeSH codes were assigned from. */
    public String findingsAndImpression() {
        return (findings.strip() + " " + impression.strip()).strip();
    }

    public boolean isEmpty() {
        return findings.isBlank() && impression.isBlank();
    }

    public boolean notIndexed() {
        return mesh.strip().equalsIgnoreCase("No Indexing");
    }

    /** Development half (odd uid) vs held-out half (even uid). */
    public boolean inDevelopmentHalf() {
        return uid % 2 == 1;
    }

    private static void append(StringBuilder sb, String header, String text) {
        if (!text.isBlank()) {
            sb.append(header).append(": ").append(text.strip()).append('\n');
        }
    }
}
