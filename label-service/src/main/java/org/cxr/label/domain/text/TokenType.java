package org.cxr.label.domain.text;

public enum TokenType {
    /** letters and digits, including decimals such as "1.5" */
    WORD,
    /** , ; : ( ) ? — kept because phrases may use them (terminators, "?" as a hedge) */
    PUNCT
}
