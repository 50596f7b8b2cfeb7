// A small JSON reader and writer for the Java bootstrap: events parse into Map / List / String / Number / Boolean /
// null trees, results are written back from such trees.
//
// Why our own and not Jackson or Gson: Lambda's Java runtime brings its own (shaded) Jackson, invisible to the
// function, so a function's package usually has no JSON library at all, and when it has one its version and
// configuration are the user's, not the runtime's. A JDK-only bootstrap needs nothing from Maven at run time and
// behaves the same for every package. The reader is lenient where Lambda's Jackson is (single quotes, unquoted
// names, leading zeros, NaN), so events that AWS accepts are accepted here.
package lambdatwin;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class Json {
    private Json() {
    }

    /** The text was not JSON; the message says where. */
    static final class ParseException extends RuntimeException {
        ParseException(String message) {
            super(message);
        }
    }

    static Object parse(String text) {
        Reader reader = new Reader(text);
        reader.skipSpace();
        Object value = reader.value();
        reader.skipSpace();
        if (reader.pos < text.length()) throw reader.fail("unexpected content after the value");
        return value;
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) {
            this.s = s;
        }

        ParseException fail(String what) {
            return new ParseException(what + " at offset " + pos);
        }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
                else break;
            }
        }

        Object value() {
            if (pos >= s.length()) throw fail("unexpected end of input");
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                case '\'':
                    return string(c);
                default:
                    if (c == '-' || c == '+' || (c >= '0' && c <= '9') || c == '.') return number();
                    String word = word();
                    switch (word) {
                        case "true":
                            return Boolean.TRUE;
                        case "false":
                            return Boolean.FALSE;
                        case "null":
                            return null;
                        case "NaN":
                            return Double.NaN;
                        case "Infinity":
                            return Double.POSITIVE_INFINITY;
                        default:
                            throw fail("unexpected '" + (word.isEmpty() ? String.valueOf(c) : word) + "'");
                    }
            }
        }

        String word() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '$')) pos++;
            return s.substring(start, pos);
        }

        Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (pos >= s.length()) throw fail("unterminated object");
                char c = s.charAt(pos);
                String key = c == '"' || c == '\'' ? string(c) : word();
                if (key.isEmpty() && c != '"' && c != '\'') throw fail("expected a property name");
                skipSpace();
                if (pos >= s.length() || s.charAt(pos) != ':') throw fail("expected ':'");
                pos++;
                skipSpace();
                map.put(key, value());
                skipSpace();
                if (pos >= s.length()) throw fail("unterminated object");
                c = s.charAt(pos++);
                if (c == '}') return map;
                if (c != ',') throw fail("expected ',' or '}'");
            }
        }

        List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipSpace();
                list.add(value());
                skipSpace();
                if (pos >= s.length()) throw fail("unterminated array");
                char c = s.charAt(pos++);
                if (c == ']') return list;
                if (c != ',') throw fail("expected ',' or ']'");
            }
        }

        String string(char quote) {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw fail("unterminated string");
                char c = s.charAt(pos++);
                if (c == quote) return out.toString();
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= s.length()) throw fail("unterminated string");
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u':
                        if (pos + 4 > s.length()) throw fail("bad \\u escape");
                        out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                        break;
                    default: out.append(e);
                }
            }
        }

        Number number() {
            int start = pos;
            if (s.charAt(pos) == '-' || s.charAt(pos) == '+') pos++;
            boolean decimal = false;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c >= '0' && c <= '9') pos++;
                else if (c == '.' || c == 'e' || c == 'E' || ((c == '-' || c == '+') && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E'))) {
                    decimal = true;
                    pos++;
                } else break;
            }
            String text = s.substring(start, pos);
            if (text.startsWith("+")) text = text.substring(1);
            if (text.equals("-") || text.isEmpty()) throw fail("bad number");
            try {
                if (decimal) return new BigDecimal(text);
                BigInteger big = new BigInteger(text);
                if (big.bitLength() < 32) return big.intValue();
                if (big.bitLength() < 64) return big.longValue();
                return big;
            } catch (NumberFormatException e) {
                throw fail("bad number '" + text + "'");
            }
        }
    }

    /** Writes a tree of Map / List / String / Number / Boolean / null as compact JSON. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            quote((String) value, out);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) quote(String.valueOf(d), out);
            else out.append(value);
        } else if (value instanceof BigDecimal) {
            out.append(((BigDecimal) value).toString());
        } else if (value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
                if (!first) out.append(',');
                first = false;
                quote(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object item : (List<Object>) value) {
                if (!first) out.append(',');
                first = false;
                write(item, out);
            }
            out.append(']');
        } else {
            quote(value.toString(), out);
        }
    }

    static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
            }
        }
        out.append('"');
    }
}
