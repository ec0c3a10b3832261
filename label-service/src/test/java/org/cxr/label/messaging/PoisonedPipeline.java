package org.cxr.label.messaging;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.label.domain.rules.RuleSet;

/**
 * The labeler of the tests: the bundled one, except that a report containing {@link #MARKER}
 * makes it throw an Error, as a runaway recursion in the scope engine would. Every other report is
 * labelled as in production.
 */
@Singleton
public class PoisonedPipeline {
    /** A report with this text poisons the labeler. */
    static final String MARKER = "POISONED-FOR-THE-TEST";

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    ReportPipeline pipeline() {
        return new ReportPipeline(RuleSet.bundled()) {
            @Override
            public Result process(String report) {
                if (report.contains(MARKER)) {
                    throw new StackOverflowError("poisoned by the test");
                }
                return super.process(report);
            }
        };
    }
}
