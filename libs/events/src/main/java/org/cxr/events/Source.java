package org.cxr.events;

/** How an instance or report reached the platform. */
public enum Source {
    REST, STOW_RS, IMPORT, DROP_FOLDER
}
