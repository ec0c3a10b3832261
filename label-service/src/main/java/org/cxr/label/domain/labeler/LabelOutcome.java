package org.cxr.label.domain.labeler;

import java.util.List;

import org.cxr.label.domain.LabelledRow;
import org.cxr.label.domain.Style;

/** Both label vectors of one text and the mentions behind them. */
public record LabelOutcome(LabelledRow chexpert, LabelledRow negbio, List<Mention> mentions) {
    public LabelledRow labels(Style style) {
        return style == Style.CHEXPERT ? chexpert : negbio;
    }
}
