package org.cxr.generator;

import java.util.EnumSet;
import java.util.Set;

import org.cxr.generator.image.EncodedSyntax;

/**
 * What to generate. Options never change which random draws are made, only how a draw is used, so
 * two runs with the same seed and different size caps produce the same studies, reports and labels.
 *
 * @param maxRows             cap on Rows (0 = none); an image over a cap is scaled down keeping its aspect
 * @param maxColumns          cap on Columns (0 = none)
 * @param targetInstanceBytes when positive, images are sized so that each file is about this many
 *                            bytes, and only uncompressed transfer syntaxes are used (so the size holds)
 * @param phi                 true: headers and reports carry fake patient identities (names, ids,
 *                            real-looking dates, accession numbers, phone numbers) for de-identification
 *                            to remove; false: they look already de-identified, like MIMIC-CXR (ids
 *                            are the research ids, dates shifted to 2100–2200, "___" in reports)
 * @param studiesPerSubject   mean number of studies per patient (geometric distribution)
 * @param syntaxes            the transfer syntaxes to choose from (JPEG baseline only for 8-bit images)
 */
public record GeneratorOptions(
        int maxRows,
        int maxColumns,
        long targetInstanceBytes,
        boolean phi,
        double studiesPerSubject,
        Set<EncodedSyntax> syntaxes) {

    /** MIMIC-CXR: 227,827 studies of 65,379 patients. */
    public static final double MIMIC_STUDIES_PER_SUBJECT = 227_827.0 / 65_379.0;

    public GeneratorOptions {
        if (maxRows < 0 || maxColumns < 0 || targetInstanceBytes < 0) {
            throw new IllegalArgumentException("size caps must not be negative");
        }
        if (maxRows > 0 && maxRows < 16 || maxColumns > 0 && maxColumns < 16) {
            throw new IllegalArgumentException("size caps below 16 pixels leave no image to speak of");
        }
        if (!(studiesPerSubject >= 1.0)) {
            throw new IllegalArgumentException("studiesPerSubject must be >= 1, got " + studiesPerSubject);
        }
        syntaxes = Set.copyOf(syntaxes);
        if (syntaxes.isEmpty()) {
            throw new IllegalArgumentException("at least one transfer syntax is needed");
        }
        if (targetInstanceBytes > 0 && syntaxes.stream().noneMatch(EncodedSyntax::uncompressed)) {
            throw new IllegalArgumentException("a target instance size needs an uncompressed syntax (explicit or implicit)");
        }
    }

    /** Full-size images, all syntaxes, fake identities, MIMIC's studies per patient. */
    public static GeneratorOptions defaults() {
        return new GeneratorOptions(0, 0, 0, true, MIMIC_STUDIES_PER_SUBJECT, EnumSet.allOf(EncodedSyntax.class));
    }

    public GeneratorOptions withMaxSize(int rows, int columns) {
        return new GeneratorOptions(rows, columns, targetInstanceBytes, phi, studiesPerSubject, syntaxes);
    }

    public GeneratorOptions withTargetInstanceBytes(long bytes) {
        return new GeneratorOptions(maxRows, maxColumns, bytes, phi, studiesPerSubject, syntaxes);
    }

    public GeneratorOptions withPhi(boolean phi) {
        return new GeneratorOptions(maxRows, maxColumns, targetInstanceBytes, phi, studiesPerSubject, syntaxes);
    }

    public GeneratorOptions withStudiesPerSubject(double mean) {
        return new GeneratorOptions(maxRows, maxColumns, targetInstanceBytes, phi, mean, syntaxes);
    }

    public GeneratorOptions withSyntaxes(Set<EncodedSyntax> syntaxes) {
        return new GeneratorOptions(maxRows, maxColumns, targetInstanceBytes, phi, studiesPerSubject, syntaxes);
    }
}
