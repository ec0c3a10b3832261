package org.cxr.catalog.testing;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Not a test: the host of a {@link SecondReplica}, run only in the replica's own JVM (its name is
 * not one surefire runs). Quarkus starts the application for it, without the module's test
 * resources (the servers are the first replica's, given as system properties); it then waits until
 * the JVM is killed.
 */
@QuarkusTest
@TestProfile(ReplicaHost.OnGivenServers.class)
class ReplicaHost {
    static final String STARTED = "[replica] started";

    /** The test profile, without starting servers of its own. */
    public static class OnGivenServers implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void serveUntilKilled() throws InterruptedException {
        System.out.println(STARTED);
        Thread.sleep(Long.MAX_VALUE);
    }
}
