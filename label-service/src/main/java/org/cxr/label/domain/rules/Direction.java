package org.cxr.label.domain.rules;

/** Where a trigger's scope lies relative to the trigger. */
public enum Direction {
    /** the trigger precedes what it modifies: "no effusion" */
    PRE,
    /** the trigger follows what it modifies: "effusion has resolved" */
    POST,
    BOTH,
    /** pseudo-triggers and terminators have no scope */
    NONE
}
