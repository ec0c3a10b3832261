package org.cxr.label.domain.labeler;

import java.util.List;

import org.cxr.label.domain.LabelVector;
import org.cxr.label.domain.Style;

/** Both label vectors of one text and the mentions behind them. */
public record LabelOutcome(LabelVector chexpert, LabelVector negbio, List<Mention> mentions) {
    public LabelVector labels(Style style) {
        return style == Style.CHEXPERT ? chexpert : negbio;
    }
}
