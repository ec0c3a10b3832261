package org.cxr.catalog.domain.query;

import java.util.Set;

import org.cxr.catalog.domain.state.ImageStatus;

/**
 * Conditions on images: those of their study, plus the image's own ViewPosition and status.
 * {@code study.views()} is ignored here; {@code views} applies to the image itself.
 */
public record ImageFilter(StudyFilter study, Set<String> views, Set<ImageStatus> statuses) {
    public ImageFilter {
        views = Set.copyOf(views);
        statuses = Set.copyOf(statuses);
    }
}
