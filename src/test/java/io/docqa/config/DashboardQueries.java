package io.docqa.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The PromQL of the Grafana dashboard in {@code docs/grafana}, and the metric names each query reads. */
final class DashboardQueries {

    static final Path DASHBOARD = Path.of("docs/grafana/docqa-dashboard.json");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern LABELS = Pattern.compile("\\{[^}]*}");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without)\\s*\\([^)]*\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "offset", "bool", "and", "or", "unless", "inf", "nan");

    private DashboardQueries() {
    }

    /** Every {@code expr} of every panel, in order. */
    static List<String> expressions() {
        JsonNode dashboard = JsonMapper.shared().readTree(DASHBOARD.toFile());
        List<String> expressions = new ArrayList<>();
        collect(dashboard, expressions);
        return expressions;
    }

    private static void collect(JsonNode node, List<String> expressions) {
        if (node.isObject() && node.has("expr")) {
            expressions.add(node.get("expr").asString());
        }
        for (JsonNode child : node) {
            collect(child, expressions);
        }
    }

    /** The metric names an expression selects: what is left once labels, groupings, ranges and functions are gone. */
    static Set<String> metricNames(String expression) {
        String bare = VARIABLE.matcher(expression).replaceAll("");
        bare = LABELS.matcher(bare).replaceAll("");
        bare = GROUPING.matcher(bare).replaceAll("");
        bare = RANGE.matcher(bare).replaceAll("");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            String found = name.group();
            boolean function = bare.substring(name.end()).stripLeading().startsWith("(");
            if (!function && !KEYWORDS.contains(found.toLowerCase()) && !found.matches("\\d.*")) {
                names.add(found);
            }
        }
        return names;
    }
}
