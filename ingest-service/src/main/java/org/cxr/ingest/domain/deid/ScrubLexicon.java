package org.cxr.ingest.domain.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The word lists of the report scrubber. Names: US Census 1990 surnames and given names (public
 * domain; generated into {@code names/} by {@code ingest-service/src/build/names/generate.sh}, which
 * says where they come from); {@code english.txt}: common English and the labeler's clinical
 * vocabulary, to tell a name that is also a word ("White", "Hill") from one that is not. The rest
 * are short curated lists of the words that frame identifiers.
 */
final class ScrubLexicon {
    static final Set<String> SURNAMES = load("names/surnames.txt");
    static final Set<String> GIVEN = load("names/given-names.txt");
    static final Set<String> ENGLISH = load("names/english.txt");
    static final Set<String> NAMES = union(SURNAMES, GIVEN);

    /** Roles written before a name like a title ("RN Jane Doe", "nurse Esperanza"): the name must look like one. */
    static final Set<String> ROLE_TITLES = set("rn", "np", "pa", "nurse", "resident", "fellow", "attending", "radiologist",
            "technologist", "tech", "dr.", "md", "crna", "lpn", "surgeon", "physician", "doctor", "intern", "daughter", "son",
            "wife", "husband", "mother", "father", "sister", "brother", "spouse", "partner", "niece", "nephew", "granddaughter",
            "grandson", "friend", "caregiver", "guardian", "aunt", "uncle", "cousin", "grandmother", "grandfather");

    /** Titles before a name. */
    static final Set<String> TITLES = set("dr", "drs", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor");

    /** Credentials after a name; the ambiguous ones (PA is also a view) need a comma before them. */
    static final Set<String> CREDENTIALS = set("md", "rn", "np", "phd", "mbbs", "frcr", "frcpc", "facr", "crna", "dnp",
            "aprn", "lpn", "rrt", "mph", "dds", "pac", "pa-c", "fnp", "acnp", "mbchb", "np-c", "fnp-c", "agacnp");
    static final Set<String> COMMA_CREDENTIALS = set("pa", "do", "rt", "ma", "cnp");

    /** Words that end a list of name tokens: function words, roles, places in a hospital. */
    static final Set<String> STOP = set("a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "from", "by",
            "with", "without", "about", "regarding", "re", "via", "per", "as", "is", "was", "were", "are", "be", "been", "who",
            "which", "that", "this", "these", "those", "he", "she", "they", "his", "her", "their", "him", "them", "it", "its",
            "we", "our", "us", "you", "your", "i", "me", "my", "over", "after", "before", "during", "today", "tonight",
            "yesterday", "tomorrow", "now", "then", "when", "where", "also", "again", "whom", "whose", "if", "not", "no",
            "yes", "please", "thank", "thanks", "time", "date", "am", "pm", "has", "had", "have", "will", "would", "can",
            "could", "should", "might", "did", "does", "do", "all", "any", "both", "each", "same", "other", "same",
            "patient", "patients", "pt", "family", "team", "nurse", "nursing", "physician", "physicians", "clinician",
            "clinicians", "doctor", "provider", "providers", "resident", "fellow", "attending", "radiologist", "surgeon",
            "intern", "staff", "house", "officer", "service", "floor", "unit", "icu", "micu", "sicu", "ccu", "nicu", "ed",
            "er", "pacu", "clinic", "department", "dept", "radiology", "cardiology", "surgery", "medicine", "oncology",
            "pulmonology", "emergency", "telephone", "phone", "pager", "page", "person", "primary", "referring", "ordering",
            "covering", "treating", "responsible", "caller", "care", "oncall", "call", "np", "pa", "rn", "md", "wet", "read",
            "preliminary", "report", "reports", "findings", "result", "results", "impression", "study", "exam",
            "examination", "clinical", "medical", "surgical", "who", "team's", "by", "via", "at", "approximately", "was",
            "contact", "contacted", "directly", "personally", "verbally", "acute", "critical", "urgent", "concern",
            "questions", "question", "evaluation", "technologist", "tech", "technician", "radiographer", "sonographer",
            "cc", "signed", "electronically", "dictated", "transcribed", "verified", "approved", "reviewed", "interpreted",
            "performed", "discussed", "called", "informed", "notified", "paged", "communicated", "spoke", "reported",
            "ext", "extension", "pgr", "beeper", "fax", "cell", "mobile", "office", "number", "mrn", "id");

    /** Eponyms and device names that are also surnames: never masked without a naming cue. */
    static final Set<String> EPONYMS = set("hodgkin", "hodgkin's", "parkinson", "parkinson's", "graves", "graves'",
            "kerley", "swan", "ganz", "swan-ganz", "dobhoff", "dobbhoff", "foley", "hickman", "broviac", "groshong", "pancoast",
            "hampton", "westermark", "fleischner", "luschka", "bochdalek", "morgagni", "chiari", "valsalva", "heimlich",
            "penrose", "jackson-pratt", "jackson", "pratt", "salem", "sengstaken", "blakemore", "levin", "kaposi", "kaposi's",
            "wegener", "wegener's", "crohn", "crohn's", "sjogren", "marfan", "marfan's", "ehlers", "danlos", "ehlers-danlos",
            "poland", "tietze", "horner", "horner's", "pott", "pott's", "paget", "paget's", "ewing", "ewing's", "wilms",
            "barrett", "barrett's", "zenker", "zenker's", "boerhaave", "mallory", "weiss", "mallory-weiss", "schatzki",
            "goodpasture", "churg", "strauss", "churg-strauss", "loeffler", "mendelson", "kartagener", "erb", "ghon", "ranke",
            "virchow", "bankart", "hill-sachs", "colles", "jefferson", "monteggia", "galeazzi", "bennett", "rolando",
            "barton", "kussmaul", "cheyne", "stokes", "cheyne-stokes", "adam", "lyme", "legionella", "pickwickian",
            "impella", "watchman", "mitraclip", "medtronic", "angiojet", "greenfield", "denver", "pleurx", "tenckhoff",
            "quinton", "shiley", "passy", "muir", "passy-muir", "blake", "minerva", "halo", "harrington", "luque", "hartmann",
            "whipple", "nissen", "roux", "billroth", "fontan", "glenn", "blalock", "taussig", "norwood", "ross", "bentall",
            "mustard", "senning", "rastelli", "konno", "sano", "carpentier", "starr", "edwards", "hancock", "sapien",
            "corevalve", "melody", "amplatzer", "gianturco", "wallstent", "palmaz", "port-a-cath", "mediport", "picc",
            "hohn", "cordis", "arrow", "mahurkar", "permacath", "trialysis", "sump", "moss", "miller-abbott", "cantor",
            "keofeed", "corpak", "cortrak", "entriflex", "bard", "guedel", "magill", "murphy", "macintosh", "mac", "glidescope",
            "trendelenburg", "fowler", "fowler's", "sims", "bucky", "potter", "hounsfield", "kilovolt", "doppler", "wolff",
            "parkinson-white", "wolff-parkinson-white", "brugada", "takotsubo", "dressler", "dressler's", "beck", "beck's",
            "ebstein", "ebstein's", "eisenmenger", "fallot", "scimitar", "kommerell", "kommerell's", "hamman", "hamman's",
            "macklin", "golden", "luftsichel", "felson", "silhouette", "rigler", "rigler's", "chilaiditi", "lemierre",
            "swyer", "james", "mounier-kuhn", "mounier", "kuhn", "williams-campbell", "caplan", "caplan's", "mendelson's",
            "sarcoid", "lofgren", "lofgren's", "hantavirus", "pneumocystis", "aspergillus", "klebsiella", "nocardia",
            "actinomyces", "coxiella", "bordetella", "haemophilus", "moraxella", "pseudomonas", "serratia", "proteus",
            "listeria", "candida", "cryptococcus", "histoplasma", "blastomyces", "coccidioides", "may-thurner", "kerley-b",
            // anatomy that is also a given name or surname
            "carina", "lingula", "hilum", "hila", "azygos", "apex", "apices", "costophrenic", "hemidiaphragm", "aorta",
            "trachea", "bronchus", "pleura", "mediastinum", "sternum", "clavicle", "scapula", "humerus", "rib", "ribs");

    /** Words that frame a name: a verb phrase ending in one of these, then the name. */
    static final Set<String> NAME_CUE_LAST = set("with", "to", "by", "paged", "notified", "informed", "d/w", "dw",
            "per", "cc", "attn");
    /** The verb before a cue preposition, so "discussed with" counts but "consistent with" does not. */
    static final Set<String> NAME_CUE_VERBS = set("discussed", "discuss", "reviewed", "spoke", "spoken", "speaking",
            "communicated", "called", "relayed", "conveyed", "reported", "given", "signed", "dictated", "transcribed",
            "read", "interpreted", "approved", "verified", "performed", "confirmed", "telephoned",
            "phoned", "texted", "emailed", "faxed", "sent", "forwarded", "referred", "ordered", "requested", "talked", "conferred",
            "consulted", "endorsed", "handed", "passed", "provided", "attested", "prepared", "authored", "electronically",
            "finalized", "acknowledged", "received", "contacted", "paged", "notified", "informed", "with", "by", "to");
    /** Labels followed by a colon and a name. */
    static final Set<String> NAME_LABELS = set("radiologist", "attending", "resident", "fellow", "technologist", "tech",
            "physician", "provider", "reader", "signed", "dictated", "transcribed", "verified", "approved", "cc", "author",
            "referring", "ordering", "interpreting", "reviewer", "reviewed", "by", "clinician", "doctor", "md", "nurse",
            "contact", "requested", "requester", "sonographer", "radiographer", "pcp", "attn", "to", "from", "name", "patient",
            "pt", "copy", "copies", "surgeon", "consultant", "nurse", "np", "pa", "rn", "staff", "transcriptionist",
            "scribe", "performed", "assistant");

    static final Set<String> MONTHS_LONG = set("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december");
    static final Set<String> MONTHS_SHORT = set("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
            "nov", "dec");
    /** Month names that are also ordinary words: a date only next to a day or a year. */
    static final Set<String> MONTHS_AMBIGUOUS = set("march", "may");

    static final Set<String> STREET_SUFFIXES = set("bend", "crossing", "ridge", "run", "path", "point", "landing", "commons",
            "glen", "grove", "hill", "hills", "hollow", "park", "view", "walk", "loop", "knoll", "meadow", "meadows", "pass",
            "green", "gardens", "estates", "manor", "village", "mill", "mills", "harbor", "shores", "springs", "summit",
            "valley", "vista", "woods", "wood", "creek", "brook", "lake", "pond", "farm", "farms", "chase", "cove", "bay",
            "street", "st", "avenue", "ave", "av", "road", "rd", "boulevard",
            "blvd", "lane", "ln", "drive", "dr", "court", "ct", "place", "pl", "way", "terrace", "ter", "highway", "hwy",
            "parkway", "pkwy", "circle", "cir", "square", "sq", "trail", "trl", "turnpike", "tpke", "pike", "row", "alley",
            "plaza", "crescent", "close", "heights", "hts", "expressway", "freeway", "route", "rte");
    static final Set<String> UNIT_WORDS = set("apt", "apartment", "suite", "ste", "unit", "floor", "fl", "room", "rm",
            "bldg", "building");
    static final Set<String> STATES = set("al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il",
            "in", "ia", "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny",
            "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy", "dc",
            "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
            "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine",
            "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada",
            "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia", "washington",
            "wisconsin", "wyoming", "mass", "calif", "penn");
    /** Heads of an institution's name: "Saint Elsewhere General Hospital". */
    static final Set<String> INSTITUTION_HEADS = set("alliance", "partners", "physicians", "specialists", "consultants",
            "hospital", "hospitals", "clinic", "clinics", "infirmary",
            "institute", "university", "college", "healthcare", "sanatorium", "sanitarium", "hospice", "center", "centre",
            "health", "medical", "memorial", "foundation", "associates", "practice", "rehabilitation", "rehab", "home",
            "system", "network", "group", "laboratories", "laboratory", "imaging", "radiology");
    /** Heads that name an institution only after another institution word or a proper name (not "the health of"). */
    static final Set<String> STRONG_HEADS = set("hospital", "hospitals", "clinic", "clinics", "infirmary", "institute",
            "university", "college", "healthcare", "sanatorium", "sanitarium", "hospice");
    /** Words before a head that do not make it a name ("outside hospital", "the clinic"). */
    static final Set<String> GENERIC_INSTITUTION = set("outside", "the", "our", "this", "that", "same", "other", "another",
            "referring", "local", "community", "general", "medical", "health", "care", "nursing", "a", "an", "osh",
            "children's", "teaching", "state", "county", "city", "rehabilitation", "rehab", "cancer", "heart", "surgical",
            "urgent", "outpatient", "inpatient", "primary", "psychiatric", "veterans", "va", "memorial", "regional", "center",
            "university", "academic", "home", "skilled", "assisted", "living", "imaging", "radiology", "system",
            "network", "group", "practice", "associates", "laboratory", "laboratories", "foundation", "institute", "clinic",
            "hospital", "hospitals", "clinics", "infirmary", "healthcare", "hospice", "centre", "college", "sanatorium",
            "sanitarium");

    private ScrubLexicon() {
    }

    private static Set<String> set(String... words) {
        return Set.copyOf(java.util.Arrays.asList(words)); // duplicates allowed in the source lists
    }

    static boolean isName(String lower) {
        return NAMES.contains(lower);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static Set<String> load(String resource) {
        Set<String> words = new HashSet<>(1 << 17);
        try (InputStream in = ScrubLexicon.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    words.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
