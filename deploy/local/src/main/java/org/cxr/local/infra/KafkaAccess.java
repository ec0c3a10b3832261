package org.cxr.local.infra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.cxr.events.TopicAccess;
import org.cxr.events.Topics;

/**
 * Sets up a secured local broker for the platform, as its super user: one SCRAM identity per
 * service, the ACLs of {@link TopicAccess} (each service reads and writes only its own topics and
 * reads through its own consumer group; nothing else is allowed) and every topic, created up front
 * because the services have no right to create any. Idempotent: run at every start.
 */
public final class KafkaAccess {
    /** Partitions of every topic: what the broker's auto-creation used before the broker was secured. */
    static final int PARTITIONS = 3;

    private KafkaAccess() {
    }

    /**
     * @param admin   client settings of the super user, bootstrap included
     * @param loginOf the SCRAM identity of each service principal
     */
    public static void provision(Map<String, Object> admin, Function<String, KafkaLogin> loginOf) {
        try (Admin a = Admin.create(admin)) {
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            for (TopicAccess s : TopicAccess.ALL) {
                users.add(new UserScramCredentialUpsertion(s.principal(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), loginOf.apply(s.principal()).password()));
            }
            a.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            Set<String> existing = new HashSet<>(a.listTopics().names().get(30, TimeUnit.SECONDS));
            List<NewTopic> missing = new ArrayList<>();
            Topics.ALL.stream().filter(t -> !existing.contains(t))
                    .forEach(t -> missing.add(new NewTopic(t, PARTITIONS, (short) 1)));
            Topics.COMPACTED.stream().filter(t -> !existing.contains(t))
                    .forEach(t -> missing.add(new NewTopic(t, PARTITIONS, (short) 1).configs(Map.of(
                            "cleanup.policy", "compact", "segment.ms", "600000", "min.cleanable.dirty.ratio", "0.1"))));
            if (!missing.isEmpty()) {
                a.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            a.createAcls(bindings()).all().get(30, TimeUnit.SECONDS);
            awaitApplied(a);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while securing the broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the broker's users, topics and ACLs: " + e, e);
        }
    }

    /**
     * Returns once the broker itself knows every service's credential and ACL: the controller has
     * committed them when the calls above return, the broker applies them a moment later, and a
     * service connecting in between would be refused.
     */
    private static void awaitApplied(Admin a) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> principals = TopicAccess.ALL.stream().map(TopicAccess::principal).toList();
        while (true) {
            boolean acls = a.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS)
                    .containsAll(bindings());
            boolean users = a.describeUserScramCredentials(principals).all().get(10, TimeUnit.SECONDS).keySet()
                    .containsAll(principals);
            if (acls && users) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not apply the services' users and ACLs within 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** The ALLOW entries of every service; anything not listed is denied. */
    public static List<AclBinding> bindings() {
        List<AclBinding> acls = new ArrayList<>();
        for (TopicAccess s : TopicAccess.ALL) {
            String principal = "User:" + s.principal();
            s.reads().forEach(t -> acls.add(allow(ResourceType.TOPIC, t, principal, AclOperation.READ)));
            s.writes().forEach(t -> acls.add(allow(ResourceType.TOPIC, t, principal, AclOperation.WRITE)));
            if (s.consumes()) {
                acls.add(allow(ResourceType.GROUP, s.group(), principal, AclOperation.READ));
            }
            s.describesGroups().forEach(g -> acls.add(allow(ResourceType.GROUP, g, principal, AclOperation.DESCRIBE)));
        }
        return acls;
    }

    private static AclBinding allow(ResourceType type, String name, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }
}
