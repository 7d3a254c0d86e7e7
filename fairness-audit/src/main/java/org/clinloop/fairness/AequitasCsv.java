package org.clinloop.fairness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a table in the Aequitas layout: a header, a {@code score} column (0/1, "0.0"/"1.0"
 * accepted), a {@code label_value} column (0/1), optionally {@code entity_id}, and every other
 * column a group attribute. RFC 4180 quoting. A bad value is refused with its line and column.
 */
public final class AequitasCsv {

    public static final String SCORE = "score";
    public static final String LABEL = "label_value";
    public static final String ENTITY = "entity_id";

    private AequitasCsv() {
    }

    public static FairnessTable read(Reader source) throws IOException {
        BufferedReader in = source instanceof BufferedReader b ? b : new BufferedReader(source, 1 << 16);
        String headerLine = in.readLine();
        if (headerLine == null) {
            throw new IllegalArgumentException("Expected a header line with score and label_value, found an empty file.");
        }
        List<String> header = fields(stripBom(headerLine), 1);
        int score = header.indexOf(SCORE);
        int label = header.indexOf(LABEL);
        if (score < 0 || label < 0) {
            throw new IllegalArgumentException("Expected columns " + SCORE + " and " + LABEL + ", found " + header + ".");
        }
        List<Integer> attributeColumns = new ArrayList<>();
        List<String> attributes = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (i != score && i != label && !ENTITY.equals(header.get(i))) {
                attributeColumns.add(i);
                attributes.add(header.get(i));
            }
        }
        FairnessTable table = new FairnessTable(attributes);
        String[] values = new String[attributes.size()];
        String line;
        int lineNo = 1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            List<String> f = fields(line, lineNo);
            if (f.size() != header.size()) {
                throw new IllegalArgumentException("Line " + lineNo + ": expected " + header.size() + " fields, found "
                        + f.size() + ".");
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = f.get(attributeColumns.get(i));
            }
            table.add(binary(f.get(score), SCORE, lineNo), binary(f.get(label), LABEL, lineNo), values);
        }
        return table;
    }

    static boolean binary(String raw, String column, int line) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "1", "1.0", "true" -> true;
            case "0", "0.0", "false" -> false;
            default -> throw new IllegalArgumentException("Line " + line + ": expected " + column
                    + " 0 or 1, found \"" + raw + "\".");
        };
    }

    /** Splits one CSV record (no embedded line breaks). */
    static List<String> fields(String line, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"' && cur.length() == 0) {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("Line " + lineNo + ": expected a closing quote, found the end of the line.");
        }
        out.add(cur.toString());
        return out;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
