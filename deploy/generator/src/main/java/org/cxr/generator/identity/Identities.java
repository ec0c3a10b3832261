package org.cxr.generator.identity;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The invented people, institutions and devices of {@code identities.txt}. */
public final class Identities {
    /** A person name; {@link #dicom()} is the PN form Family^Given^Middle. */
    public record PersonName(String family, String given, String middle) {
        public String dicom() {
            return middle.isEmpty() ? family + "^" + given : family + "^" + given + "^" + middle;
        }

        /** As a radiologist writes a colleague's name in a report: "Dr. Given Family" or "Dr. Family". */
        public String doctor(boolean withGiven) {
            return withGiven ? "Dr. " + given + " " + family : "Dr. " + family;
        }
    }

    public record Institution(String name, String issuer, String address) {
    }

    public record Device(String manufacturer, String model, String modality, String softwareVersion) {
    }

    private static final Identities INSTANCE = load("identities.txt");

    private final Map<String, List<String>> lists;

    private Identities(Map<String, List<String>> lists) {
        this.lists = lists;
    }

    public static Identities get() {
        return INSTANCE;
    }

    public List<String> list(String name) {
        List<String> l = lists.get(name);
        if (l == null || l.isEmpty()) {
            throw new IllegalStateException("identities.txt has no [" + name + "] entries");
        }
        return l;
    }

    public String pick(String list, SplittableRandom r) {
        List<String> l = list(list);
        return l.get(r.nextInt(l.size()));
    }

    public PersonName person(String sex, SplittableRandom r) {
        String given = pick("F".equals(sex) ? "female" : "M".equals(sex) ? "male" : r.nextBoolean() ? "female" : "male", r);
        String middle = r.nextInt(3) == 0 ? pick("middle", r) : "";
        return new PersonName(pick("last", r), given, middle);
    }

    public Institution institution(SplittableRandom r) {
        String[] f = pick("institution", r).split("\\^");
        return new Institution(f[0], f[1], f[2]);
    }

    public Device device(SplittableRandom r) {
        String[] f = pick("device", r).split("\\^");
        return new Device(f[0], f[1], f[2], f[3]);
    }

    /** A street address in the DICOM PatientAddress style: "12 Maple Street, Springfield, MA 01103". */
    public String address(SplittableRandom r) {
        String[] city = pick("city", r).split("\\^");
        return (1 + r.nextInt(9899)) + " " + pick("street", r) + ", " + city[0] + ", " + city[1] + " " + city[2];
    }

    private static Identities load(String resource) {
        return new Identities(Lists.load(Identities.class, resource));
    }
}
