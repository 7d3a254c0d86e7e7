package org.clinloop.fairness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The audit's input, column by column: a binary prediction, a binary outcome and the value of
 * each group attribute per row. Attribute values are interned to small integer codes, so a
 * million rows with four attributes take a few tens of megabytes.
 */
public final class FairnessTable {

    /** The group of a row whose attribute value is missing. */
    public static final String MISSING = "(missing)";

    private final List<String> attributes;
    private final List<List<String>> dictionaries = new ArrayList<>();
    private final List<Map<String, Integer>> codes = new ArrayList<>();
    private int[][] columns;
    private boolean[] score;
    private boolean[] label;
    private int rows;

    public FairnessTable(List<String> attributes) {
        this.attributes = List.copyOf(attributes);
        if (this.attributes.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one attribute column, found none.");
        }
        if (this.attributes.stream().distinct().count() != this.attributes.size()) {
            throw new IllegalArgumentException("Expected distinct attribute names, found " + this.attributes + ".");
        }
        for (int i = 0; i < this.attributes.size(); i++) {
            dictionaries.add(new ArrayList<>());
            codes.add(new HashMap<>());
        }
        columns = new int[this.attributes.size()][1024];
        score = new boolean[1024];
        label = new boolean[1024];
    }

    /** Appends a row; {@code values} in attribute order, null or blank meaning missing. */
    public void add(boolean predicted, boolean outcome, String... values) {
        if (values.length != attributes.size()) {
            throw new IllegalArgumentException("Expected " + attributes.size() + " attribute values " + attributes
                    + ", found " + values.length + ".");
        }
        if (rows == score.length) {
            int n = rows * 2;
            score = Arrays.copyOf(score, n);
            label = Arrays.copyOf(label, n);
            for (int a = 0; a < columns.length; a++) {
                columns[a] = Arrays.copyOf(columns[a], n);
            }
        }
        score[rows] = predicted;
        label[rows] = outcome;
        for (int a = 0; a < values.length; a++) {
            String v = values[a] == null || values[a].isBlank() ? MISSING : values[a];
            Map<String, Integer> dict = codes.get(a);
            Integer code = dict.get(v);
            if (code == null) {
                code = dict.size();
                dict.put(v, code);
                dictionaries.get(a).add(v);
            }
            columns[a][rows] = code;
        }
        rows++;
    }

    public List<String> attributes() {
        return attributes;
    }

    public int rows() {
        return rows;
    }

    /**
     * Rows per group of every attribute in one pass: {@code [attribute][group code]}, codes in the
     * order groups were first seen. The least work any group audit must do (the benchmark's limit).
     */
    public long[][] groupSizes() {
        long[][] sizes = new long[attributes.size()][];
        for (int a = 0; a < sizes.length; a++) {
            sizes[a] = new long[dictionaries.get(a).size()];
        }
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < sizes.length; a++) {
                sizes[a][columns[a][r]]++;
            }
        }
        return sizes;
    }

    int attributeIndex(String attribute) {
        int i = attributes.indexOf(Objects.requireNonNull(attribute));
        if (i < 0) {
            throw new IllegalArgumentException("Expected an attribute among " + attributes + ", found " + attribute + ".");
        }
        return i;
    }

    List<String> groups(int attribute) {
        return dictionaries.get(attribute);
    }

    int code(int attribute, int row) {
        return columns[attribute][row];
    }

    boolean score(int row) {
        return score[row];
    }

    boolean label(int row) {
        return label[row];
    }
}
