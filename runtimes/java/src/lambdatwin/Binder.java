// Turns JSON trees into the Java types a handler declares and its results back into JSON trees, the way Lambda's
// Java runtime (Jackson, configured by aws-lambda-java-serialization) does: primitives and boxes, String, Map,
// List, arrays, enums, POJOs through setters and getters (nulls left out of the output), and the
// aws-lambda-java-events classes with their renamed properties (`Records`, `eventSourceARN`, `detail-type`, SNS's
// UpperCamelCase) and dates (java.util.Date as epoch seconds, Joda DateTime as ISO-8601).
package lambdatwin;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

final class Binder {
    private Binder() {
    }

    private static final String EVENTS_PACKAGE = "com.amazonaws.services.lambda.runtime.events";

    /** Property names the runtime's mixins give the events classes, keyed by the bean name Jackson would use. */
    private static final Map<String, String> EVENT_RENAMES = Map.of(
            "records", "Records",
            "eventSourceArn", "eventSourceARN",
            "detailType", "detail-type",
            "xAmzRequestId", "x-amz-request-id",
            "xAmzId2", "x-amz-id-2");

    /** Getters of the events classes the runtime's mixins hide. */
    private static final Set<String> EVENT_HIDDEN = Set.of("sizeAsLong");

    private static final Map<Class<?>, Map<String, Property>> PROPERTIES = new ConcurrentHashMap<>();

    /** One bean property: how to read it and how to set it. */
    private static final class Property {
        String name;
        Method getter;
        Method setter;
        Field field;
        Type type;
    }

    // --- JSON tree → Java ------------------------------------------------------------------------------------

    static Object fromJson(Object tree, Type type) {
        if (type instanceof WildcardType) type = ((WildcardType) type).getUpperBounds()[0];
        if (type instanceof TypeVariable) type = Object.class;
        Class<?> raw = rawClass(type);
        if (tree == null) {
            if (!raw.isPrimitive()) return null;
            return defaultPrimitive(raw);
        }
        if (raw == Object.class) return tree;
        if (raw == String.class) {
            if (tree instanceof Map || tree instanceof List) throw new IllegalArgumentException("a String cannot be read from a JSON " + (tree instanceof Map ? "object" : "array"));
            return tree instanceof BigDecimal ? ((BigDecimal) tree).toString() : String.valueOf(tree);
        }
        if (raw.isPrimitive() || Number.class.isAssignableFrom(raw) || raw == Boolean.class || raw == Character.class) {
            return scalar(tree, raw);
        }
        if (raw.isEnum()) return enumValue(tree, raw);
        if (raw == Date.class) return date(tree);
        if (raw.getName().equals("org.joda.time.DateTime")) return jodaDateTime(tree, raw);
        if (raw == Optional.class) return Optional.ofNullable(fromJson(tree, typeArgument(type, 0)));
        if (raw == ByteBuffer.class) return ByteBuffer.wrap(Base64.getDecoder().decode(String.valueOf(tree)));
        if (raw == byte[].class && tree instanceof String) return Base64.getDecoder().decode((String) tree);
        if (raw.isArray()) {
            List<?> list = asList(tree);
            Type component = type instanceof GenericArrayType ? ((GenericArrayType) type).getGenericComponentType() : raw.getComponentType();
            Object array = Array.newInstance(raw.getComponentType(), list.size());
            for (int i = 0; i < list.size(); i++) Array.set(array, i, fromJson(list.get(i), component));
            return array;
        }
        if (Collection.class.isAssignableFrom(raw)) {
            if ("".equals(tree)) return null;
            Collection<Object> out = newCollection(raw);
            for (Object item : asList(tree)) out.add(fromJson(item, typeArgument(type, 0)));
            return out;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if ("".equals(tree)) return null;
            if (!(tree instanceof Map)) throw new IllegalArgumentException("a " + raw.getSimpleName() + " cannot be read from " + describe(tree));
            Map<Object, Object> out = newMap(raw);
            Type keyType = typeArgument(type, 0);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) tree).entrySet()) {
                out.put(keyType == Object.class || keyType == String.class ? e.getKey() : fromJson(e.getKey(), keyType), fromJson(e.getValue(), typeArgument(type, 1)));
            }
            return out;
        }
        if ("".equals(tree)) return null;
        if (!(tree instanceof Map)) throw new IllegalArgumentException("a " + raw.getName() + " cannot be read from " + describe(tree));
        return pojo((Map<?, ?>) tree, raw);
    }

    private static String describe(Object tree) {
        if (tree instanceof List) return "a JSON array";
        if (tree instanceof String) return "a JSON string";
        if (tree instanceof Number) return "a JSON number";
        if (tree instanceof Boolean) return "a JSON boolean";
        return "a JSON object";
    }

    private static List<?> asList(Object tree) {
        if (tree instanceof List) return (List<?>) tree;
        return List.of(tree); // a single value read as a one-element array, as Lambda's Jackson accepts
    }

    private static Object defaultPrimitive(Class<?> raw) {
        if (raw == boolean.class) return false;
        if (raw == char.class) return '\0';
        return scalar(0, raw);
    }

    private static Object scalar(Object tree, Class<?> raw) {
        if (raw == boolean.class || raw == Boolean.class) {
            if (tree instanceof Boolean) return tree;
            if (tree instanceof String) return Boolean.parseBoolean((String) tree);
            if (tree instanceof Number) return ((Number) tree).intValue() != 0;
            throw new IllegalArgumentException("a boolean cannot be read from " + describe(tree));
        }
        if (raw == char.class || raw == Character.class) {
            String s = String.valueOf(tree);
            if (s.length() != 1) throw new IllegalArgumentException("a char cannot be read from \"" + s + "\"");
            return s.charAt(0);
        }
        BigDecimal number;
        if (tree instanceof Number) number = new BigDecimal(tree.toString());
        else if (tree instanceof String) {
            try {
                number = new BigDecimal(((String) tree).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a number cannot be read from \"" + tree + "\"");
            }
        } else throw new IllegalArgumentException("a number cannot be read from " + describe(tree));
        if (raw == int.class || raw == Integer.class) return number.intValue();
        if (raw == long.class || raw == Long.class) return number.longValue();
        if (raw == double.class || raw == Double.class) return number.doubleValue();
        if (raw == float.class || raw == Float.class) return number.floatValue();
        if (raw == short.class || raw == Short.class) return number.shortValue();
        if (raw == byte.class || raw == Byte.class) return number.byteValue();
        if (raw == BigInteger.class) return number.toBigInteger();
        if (raw == BigDecimal.class || raw == Number.class) return number;
        throw new IllegalArgumentException("unsupported number type " + raw.getName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Object tree, Class<?> raw) {
        String name = String.valueOf(tree);
        for (Object constant : raw.getEnumConstants()) {
            if (((Enum) constant).name().equals(name)) return constant;
        }
        return null; // unknown enum values read as null, as Lambda's Jackson is configured
    }

    private static Date date(Object tree) {
        if (tree instanceof Number) {
            double seconds = ((Number) tree).doubleValue();
            return seconds == 0 ? null : new Date(Math.round(seconds * 1000));
        }
        return Date.from(java.time.OffsetDateTime.parse(String.valueOf(tree)).toInstant());
    }

    private static Object jodaDateTime(Object tree, Class<?> raw) {
        try {
            Object instant = tree instanceof Number ? (Object) Long.valueOf(Math.round(((Number) tree).doubleValue() * 1000)) : String.valueOf(tree);
            return raw.getConstructor(Object.class).newInstance(instant);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot read a DateTime from \"" + tree + "\": " + e);
        }
    }

    private static Collection<Object> newCollection(Class<?> raw) {
        if (!raw.isInterface() && !Modifier.isAbstract(raw.getModifiers())) {
            try {
                @SuppressWarnings("unchecked")
                Collection<Object> c = (Collection<Object>) raw.getConstructor().newInstance();
                return c;
            } catch (ReflectiveOperationException e) {
                // fall through to the interface's usual implementation
            }
        }
        if (Set.class.isAssignableFrom(raw)) return raw.isAssignableFrom(HashSet.class) ? new HashSet<>() : new LinkedHashSet<>();
        return new ArrayList<>();
    }

    private static Map<Object, Object> newMap(Class<?> raw) {
        if (!raw.isInterface() && !Modifier.isAbstract(raw.getModifiers())) {
            try {
                @SuppressWarnings("unchecked")
                Map<Object, Object> m = (Map<Object, Object>) raw.getConstructor().newInstance();
                return m;
            } catch (ReflectiveOperationException e) {
                // fall through
            }
        }
        if (SortedMap.class.isAssignableFrom(raw)) return new TreeMap<>();
        return new LinkedHashMap<>();
    }

    private static Object pojo(Map<?, ?> tree, Class<?> raw) {
        Object target = newInstance(raw);
        Map<String, Property> properties = properties(raw);
        Map<String, Property> loose = new LinkedHashMap<>();
        for (Property p : properties.values()) loose.putIfAbsent(looseName(p.name), p);
        for (Map.Entry<?, ?> e : tree.entrySet()) {
            String key = String.valueOf(e.getKey());
            Property p = properties.get(key);
            if (p == null) p = loose.get(looseName(key));
            if (p == null) continue; // unknown properties are ignored
            Field field = p.setter == null ? p.field != null ? p.field : declaredField(raw, p.name) : null;
            if (p.setter == null && field == null) continue;
            Object value = fromJson(e.getValue(), p.setter != null ? p.type : field.getGenericType());
            try {
                if (p.setter != null) p.setter.invoke(target, value);
                else field.set(target, value); // a getter's private field stands in for a missing setter, as in Jackson
            } catch (ReflectiveOperationException ex) {
                throw new IllegalArgumentException("cannot set property '" + key + "' of " + raw.getName() + ": " + ex);
            }
        }
        return target;
    }

    /**
     * A new instance through the no-argument constructor, or, for classes that only have constructors with
     * arguments (the S3 event classes), allocated without one and filled through its fields (as Gson does).
     */
    private static Object newInstance(Class<?> raw) {
        try {
            Constructor<?> ctor = raw.getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (NoSuchMethodException e) {
            try {
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                return unsafeClass.getMethod("allocateInstance", Class.class).invoke(theUnsafe.get(null), raw);
            } catch (ReflectiveOperationException | RuntimeException ex) {
                throw new IllegalArgumentException("Cannot construct instance of `" + raw.getName() + "` (no Creators, like default constructor, exist)");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot construct instance of `" + raw.getName() + "`: " + e.getCause());
        }
    }

    /** The instance field of that name in the class or its superclasses, made writable; null when there is none. */
    private static Field declaredField(Class<?> raw, String name) {
        for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !(f.getName().equals(name) || looseName(f.getName()).equals(looseName(name)))) continue;
                try {
                    f.setAccessible(true);
                    return f;
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Names compared loosely (case and `-`/`_` ignored), which is how the events mixins' renames are matched. */
    private static String looseName(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(java.util.Locale.ROOT);
    }

    // --- bean properties -------------------------------------------------------------------------------------

    private static Map<String, Property> properties(Class<?> raw) {
        return PROPERTIES.computeIfAbsent(raw, Binder::findProperties);
    }

    private static Map<String, Property> findProperties(Class<?> raw) {
        Map<String, Property> byBean = new LinkedHashMap<>();
        // Declared fields first (superclass first) so properties come out in declaration order, as Jackson's do.
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) chain.add(0, c);
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers()) || f.isSynthetic()) continue;
                Property p = new Property();
                p.name = f.getName();
                if (Modifier.isPublic(f.getModifiers())) p.field = f;
                p.type = f.getGenericType();
                byBean.put(f.getName(), p);
            }
        }
        for (Method m : raw.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class || m.isBridge()) continue;
            String name = m.getName();
            if (m.getParameterCount() == 0 && m.getReturnType() != void.class) {
                String bean = name.startsWith("get") && name.length() > 3 ? decapitalize(name.substring(3))
                        : name.startsWith("is") && name.length() > 2 && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class) ? decapitalize(name.substring(2)) : null;
                if (bean == null) continue;
                Property p = byBean.computeIfAbsent(bean, k -> new Property());
                p.name = bean;
                p.getter = m;
                if (p.type == null) p.type = m.getGenericReturnType();
            } else if (m.getParameterCount() == 1 && name.startsWith("set") && name.length() > 3) {
                String bean = decapitalize(name.substring(3));
                Property p = byBean.computeIfAbsent(bean, k -> new Property());
                p.name = bean;
                if (p.setter == null || p.setter.getParameterTypes()[0] == String.class) {
                    p.setter = m;
                    p.type = m.getGenericParameterTypes()[0];
                }
            }
        }
        Map<String, Property> out = new LinkedHashMap<>();
        boolean events = raw.getName().startsWith(EVENTS_PACKAGE);
        boolean sns = events && raw.getName().contains("SNSEvent");
        for (Property p : byBean.values()) {
            if (p.getter == null && p.setter == null && p.field == null) continue;
            if (events && EVENT_HIDDEN.contains(p.name)) continue;
            if (events) p.name = sns && !p.name.equals("eventSource") && !p.name.equals("eventVersion") && !p.name.equals("eventSubscriptionArn") ? upperFirst(p.name) : EVENT_RENAMES.getOrDefault(p.name, p.name);
            out.put(p.name, p);
        }
        return out;
    }

    /** Bean naming as USE_STD_BEAN_NAMING has it: `URL` stays `URL`, `Name` becomes `name`. */
    private static String decapitalize(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isUpperCase(s.charAt(1))) return s;
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String upperFirst(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class) return (Class<?>) type;
        if (type instanceof ParameterizedType) return (Class<?>) ((ParameterizedType) type).getRawType();
        if (type instanceof GenericArrayType) return Array.newInstance(rawClass(((GenericArrayType) type).getGenericComponentType()), 0).getClass();
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType) {
            Type[] args = ((ParameterizedType) type).getActualTypeArguments();
            if (index < args.length) return args[index];
        }
        return Object.class;
    }

    // --- Java → JSON tree ------------------------------------------------------------------------------------

    static Object toJson(Object value) {
        return toJson(value, 0);
    }

    private static Object toJson(Object value, int depth) {
        if (depth > 200) throw new IllegalArgumentException("Infinite recursion (StackOverflowError)");
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) return value;
        if (value instanceof Character || value instanceof Enum) return value.toString();
        if (value instanceof Date) {
            return BigDecimal.valueOf(((Date) value).getTime()).movePointLeft(3).stripTrailingZeros();
        }
        Class<?> raw = value.getClass();
        if (raw.getName().equals("org.joda.time.DateTime")) return value.toString();
        if (value instanceof java.time.temporal.TemporalAccessor) return value.toString();
        if (value instanceof Optional) return toJson(((Optional<?>) value).orElse(null), depth + 1);
        if (value instanceof byte[]) return Base64.getEncoder().encodeToString((byte[]) value);
        if (value instanceof ByteBuffer) {
            ByteBuffer b = ((ByteBuffer) value).duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (e.getValue() != null) out.put(String.valueOf(e.getKey()), toJson(e.getValue(), depth + 1)); // NON_NULL covers map entries too
            }
            return out;
        }
        if (value instanceof Iterable) {
            List<Object> out = new ArrayList<>();
            for (Object item : (Iterable<?>) value) out.add(toJson(item, depth + 1));
            return out;
        }
        if (raw.isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) out.add(toJson(Array.get(value, i), depth + 1));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Property p : properties(raw).values()) {
            if (p.getter == null && p.field == null) continue;
            Object v;
            try {
                v = p.getter != null ? p.getter.invoke(value) : p.field.get(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot read property '" + p.name + "' of " + raw.getName() + ": " + e);
            }
            if (v == null) continue; // NON_NULL: Lambda's serializer leaves null properties out
            out.put(p.name, toJson(v, depth + 1));
        }
        return out;
    }
}
