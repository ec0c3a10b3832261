package org.cxr.label.domain.labeler;

import java.util.List;

import org.cxr.label.domain.LabelRow;
import org.cxr.label.domain.Style;

/** Both label vectors of one text and the mentions behind them. */
public record LabelOutcome(LabelRow chexpert, LabelRow negbio, List<Mention> mentions) {
    public LabelRow labels(Style style) {
        return style == Style.CHEXPERT ? chexpert : negbio;
    }
}
