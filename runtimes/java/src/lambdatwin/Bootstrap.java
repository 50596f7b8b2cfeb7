// lambda-twin's Java runtime client: loads the function's classes as Lambda's Java runtime does (the package root,
// its lib/*.jar, the layers' java/lib/*.jar), resolves _HANDLER (`pkg.Class::method` or `pkg.Class` implementing
// RequestHandler / RequestStreamHandler) once in INIT, then serves events from the Lambda Runtime API
// (AWS_LAMBDA_RUNTIME_API) with the error shapes of AWS's aws-lambda-java-runtime-interface-client.
//
// JDK only: HttpURLConnection for the Runtime API (java.net.http costs more start-up for one loopback peer),
// a small JSON reader/writer (Json.java), reflection for the handler and Proxy for Context (Contexts.java).
package lambdatwin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class Bootstrap {
    private static final String CORE = "com.amazonaws.services.lambda.runtime.";
    private static final String USER_AGENT = "aws-lambda-java/" + System.getProperty("java.specification.version") + "-lambda-twin";

    private final String api;
    private final PrintStream out;

    private Bootstrap(String api, PrintStream out) {
        this.api = "http://" + api + "/2018-06-01/runtime";
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        String api = System.getenv("AWS_LAMBDA_RUNTIME_API");
        if (api == null || api.isEmpty()) {
            System.err.println("AWS_LAMBDA_RUNTIME_API is not set");
            System.exit(1);
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        System.setOut(out);
        new Bootstrap(api, out).run(System.getenv().getOrDefault("_HANDLER", ""));
    }

    // --- what a handler is ------------------------------------------------------------------------------------

    /** A resolved handler: how to call it, or the user fault each invoke reports. */
    private interface Handler {
        byte[] invoke(byte[] event, Object context) throws Throwable;
    }

    /** A fault of the function's code found in INIT that Lambda reports on every invoke (init itself succeeds). */
    private static final class UserFault extends Exception {
        final String errorType;
        final boolean fatal;
        /** What the runtime prints under the message line, if anything. */
        final Throwable printed;

        UserFault(String message, String errorType, boolean fatal, Throwable printed) {
            super(message, null, false, false);
            this.errorType = errorType;
            this.fatal = fatal;
            this.printed = printed;
        }
    }

    /** An error INIT reports to /runtime/init/error before the runtime exits. */
    private static final class InitFailure extends Exception {
        final Throwable reported;
        final String message;

        InitFailure(String message, Throwable reported) {
            super(message, null, false, false);
            this.message = message;
            this.reported = reported;
        }
    }

    private void run(String handlerName) throws Exception {
        ClassLoader loader = functionClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        Contexts contexts = new Contexts(loader, out);
        Handler handler;
        try {
            handler = loadHandler(handlerName, loader, contexts);
        } catch (UserFault fault) {
            handler = (event, context) -> {
                throw fault;
            };
        } catch (InitFailure failure) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("errorMessage", failure.message);
            body.put("errorType", failure.reported.getClass().getName());
            logError(failure.message, failure.reported.getClass().getName(), failure.reported);
            post("/init/error", Json.write(body).getBytes(StandardCharsets.UTF_8), "Runtime.BadFunctionCode");
            System.exit(1);
            return;
        }
        loop(handler, contexts);
    }

    /** The package root, then its lib/*.jar, then the layers' java/lib/*.jar, each sorted, as Lambda orders them. */
    private static ClassLoader functionClassLoader() throws IOException {
        List<URL> urls = new ArrayList<>();
        File root = new File(System.getenv().getOrDefault("LAMBDA_TASK_ROOT", System.getProperty("user.dir")));
        urls.add(root.toURI().toURL());
        addJars(new File(root, "lib"), urls);
        String opt = System.getProperty("lambdatwin.opt", "/opt");
        addJars(new File(new File(opt, "java"), "lib"), urls);
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getSystemClassLoader());
    }

    private static void addJars(File dir, List<URL> urls) throws IOException {
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null) return;
        Arrays.sort(jars, Comparator.comparing(File::getName));
        for (File jar : jars) urls.add(jar.toURI().toURL());
    }

    private Handler loadHandler(String handlerName, ClassLoader loader, Contexts contexts) throws UserFault, InitFailure {
        int split = handlerName.lastIndexOf("::");
        String className = split < 0 ? handlerName : handlerName.substring(0, split);
        String methodName = split < 0 ? null : handlerName.substring(split + 2);
        if (className.isEmpty() || (methodName != null && methodName.isEmpty())) {
            throw new UserFault("Invalid handler: `" + handlerName + "'", null, false, null);
        }
        Class<?> cls;
        try {
            cls = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new UserFault("Class not found: " + className, "java.lang.ClassNotFoundException", false, e);
        } catch (NoClassDefFoundError e) {
            throw new UserFault(loadingMessage(className, e), "java.lang.NoClassDefFoundError", true, e);
        } catch (Throwable t) {
            throw new InitFailure(loadingMessage(className, t), t);
        }

        Method method;
        if (methodName == null) {
            Class<?> streamHandler = loadCore(loader, "RequestStreamHandler");
            Class<?> requestHandler = loadCore(loader, "RequestHandler");
            if (streamHandler != null && streamHandler.isAssignableFrom(cls)) {
                method = chooseMethod(cls, "handleRequest", contexts);
            } else if (requestHandler != null && requestHandler.isAssignableFrom(cls)) {
                if (!concreteRequestHandler(cls, requestHandler)) {
                    throw new UserFault("Class " + cls.getName() + " does not implement RequestHandler with concrete type parameters", null, false, null);
                }
                method = chooseMethod(cls, "handleRequest", contexts);
            } else {
                throw new UserFault("Class " + cls.getName() + " does not implement RequestHandler with concrete type parameters", null, false, null);
            }
        } else {
            method = chooseMethod(cls, methodName, contexts);
        }
        if (method == null) {
            throw new UserFault("No public method named " + (methodName == null ? "handleRequest" : methodName)
                    + " with appropriate method signature found on class " + cls.getName(), null, false, null);
        }

        Object instance = null;
        if (!Modifier.isStatic(method.getModifiers())) {
            try {
                instance = cls.getConstructor().newInstance(); // once per environment, in INIT
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw new InitFailure(messageOf(cause), cause);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                throw new InitFailure("Class " + cls.getName() + " has no public zero-argument constructor", e);
            }
        }
        return bind(method, instance, contexts);
    }

    private static String loadingMessage(String className, Throwable t) {
        String message = t.getMessage();
        return "Error loading class " + className + (message != null ? ": " + message : "");
    }

    private static Class<?> loadCore(ClassLoader loader, String simpleName) {
        try {
            return Class.forName(CORE + simpleName, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Whether the class gives RequestHandler's type arguments as classes (not type variables or raw). */
    private static boolean concreteRequestHandler(Class<?> cls, Class<?> requestHandler) {
        for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType && ((ParameterizedType) t).getRawType() == requestHandler) {
                    for (Type arg : ((ParameterizedType) t).getActualTypeArguments()) if (arg instanceof TypeVariable) return false;
                    return true;
                }
                if (t == requestHandler) return false;
            }
        }
        // reached through a generic superclass or interface: trust the non-bridge method's declared types
        return true;
    }

    /** The parameter shapes Lambda accepts, tried in its order; null when none fits. */
    private enum Shape { STREAMS_CONTEXT, STREAMS, OUTPUT_CONTEXT, INPUT_CONTEXT, INPUT, OUTPUT, CONTEXT, EVENT_CONTEXT, EVENT, NONE }

    private static Shape shapeOf(Method m, Class<?> contextType) {
        Class<?>[] p = m.getParameterTypes();
        boolean lastIsContext = p.length > 0 && contextType != null && p[p.length - 1] == contextType;
        boolean in0 = p.length > 0 && p[0] == InputStream.class;
        boolean out0 = p.length > 0 && p[0] == OutputStream.class;
        switch (p.length) {
            case 0:
                return Shape.NONE;
            case 1:
                if (in0) return Shape.INPUT;
                if (out0) return Shape.OUTPUT;
                if (lastIsContext) return Shape.CONTEXT;
                return usableEvent(m.getGenericParameterTypes()[0]) ? Shape.EVENT : null;
            case 2:
                if (in0 && p[1] == OutputStream.class) return Shape.STREAMS;
                if (out0 && lastIsContext) return Shape.OUTPUT_CONTEXT;
                if (in0 && lastIsContext) return Shape.INPUT_CONTEXT;
                if (lastIsContext) return usableEvent(m.getGenericParameterTypes()[0]) ? Shape.EVENT_CONTEXT : null;
                return null;
            case 3:
                return in0 && p[1] == OutputStream.class && lastIsContext ? Shape.STREAMS_CONTEXT : null;
            default:
                return null;
        }
    }

    private static boolean usableEvent(Type t) {
        return !(t instanceof TypeVariable);
    }

    private static Method chooseMethod(Class<?> cls, String name, Contexts contexts) {
        Class<?> contextType = contexts.contextInterface();
        List<Method> candidates = new ArrayList<>();
        for (Method m : cls.getMethods()) if (m.getName().equals(name)) candidates.add(m);
        // Non-bridge methods first, then those with more parameters (a trailing Context counts one more).
        candidates.sort(Comparator.comparing((Method m) -> m.isBridge())
                .thenComparing(m -> -(m.getParameterCount() + (m.getParameterCount() > 0 && m.getParameterTypes()[m.getParameterCount() - 1] == contextType ? 1 : 0))));
        for (Method m : candidates) if (shapeOf(m, contextType) != null) return m;
        return null;
    }

    private Handler bind(Method method, Object instance, Contexts contexts) {
        Shape shape = shapeOf(method, contexts.contextInterface());
        Type eventType = method.getParameterCount() > 0 ? method.getGenericParameterTypes()[0] : Object.class;
        boolean returnsVoid = method.getReturnType() == void.class;
        return (event, context) -> {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Object[] args;
            switch (shape) {
                case STREAMS_CONTEXT: args = new Object[] {new ByteArrayInputStream(event), output, context}; break;
                case STREAMS: args = new Object[] {new ByteArrayInputStream(event), output}; break;
                case OUTPUT_CONTEXT: args = new Object[] {output, context}; break;
                case INPUT_CONTEXT: args = new Object[] {new ByteArrayInputStream(event), context}; break;
                case INPUT: args = new Object[] {new ByteArrayInputStream(event)}; break;
                case OUTPUT: args = new Object[] {output}; break;
                case CONTEXT: args = new Object[] {context}; break;
                case EVENT_CONTEXT: args = new Object[] {readEvent(event, eventType), context}; break;
                case EVENT: args = new Object[] {readEvent(event, eventType)}; break;
                default: args = new Object[0];
            }
            Object result;
            try {
                result = method.invoke(instance, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            boolean streams = shape == Shape.STREAMS_CONTEXT || shape == Shape.STREAMS || shape == Shape.OUTPUT_CONTEXT || shape == Shape.OUTPUT;
            if (streams) return output.toByteArray();
            if (returnsVoid) return "null".getBytes(StandardCharsets.UTF_8);
            try {
                return Json.write(Binder.toJson(result)).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                throw new RuntimeException("An error occurred during JSON serialization of response", e);
            }
        };
    }

    private static Object readEvent(byte[] event, Type type) {
        try {
            Object tree = Json.parse(new String(event, StandardCharsets.UTF_8));
            return Binder.fromJson(tree, type);
        } catch (RuntimeException e) {
            throw new RuntimeException("An error occurred during JSON parsing", e);
        }
    }

    // --- the invoke loop --------------------------------------------------------------------------------------

    private void loop(Handler handler, Contexts contexts) throws Exception {
        while (true) {
            HttpURLConnection next = open("/invocation/next", "GET");
            int status = next.getResponseCode();
            if (status != 200) throw new IOException("Received " + status + " when waiting for next invocation.");
            byte[] event = next.getInputStream().readAllBytes();
            Contexts.Invocation inv = new Contexts.Invocation();
            inv.requestId = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            inv.deadlineMs = parseLong(next.getHeaderField("Lambda-Runtime-Deadline-Ms"));
            inv.invokedFunctionArn = next.getHeaderField("Lambda-Runtime-Invoked-Function-Arn");
            inv.traceId = next.getHeaderField("Lambda-Runtime-Trace-Id");
            inv.tenantId = next.getHeaderField("Lambda-Runtime-Aws-Tenant-Id");
            inv.clientContext = jsonObject(next.getHeaderField("Lambda-Runtime-Client-Context"));
            inv.cognitoIdentity = jsonObject(next.getHeaderField("Lambda-Runtime-Cognito-Identity"));
            if (inv.traceId != null) System.setProperty("com.amazonaws.xray.traceHeader", inv.traceId);
            else System.clearProperty("com.amazonaws.xray.traceHeader");

            byte[] response;
            try {
                response = handler.invoke(event, contexts.context(inv));
            } catch (UserFault fault) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("errorMessage", fault.getMessage());
                if (fault.errorType != null) body.put("errorType", fault.errorType);
                logError(fault.getMessage(), fault.errorType, fault.printed);
                post("/invocation/" + inv.requestId + "/error", Json.write(body).getBytes(StandardCharsets.UTF_8), "Runtime.BadFunctionCode");
                if (fault.fatal) System.exit(1);
                continue;
            } catch (Throwable t) {
                Map<String, Object> body = errorBody(t, messageOf(t));
                logError(messageOf(t), t.getClass().getName(), t);
                post("/invocation/" + inv.requestId + "/error", Json.write(body).getBytes(StandardCharsets.UTF_8), "Runtime.UserException");
                if (t instanceof VirtualMachineError) System.exit(1);
                continue;
            }
            post("/invocation/" + inv.requestId + "/response", response, null);
        }
    }

    /** The log lines of a reported error: `message: type`, then the throwable's (filtered) stack trace. */
    private void logError(String message, String type, Throwable t) {
        out.println(type == null ? message : message + ": " + type);
        if (t != null) {
            filterStackTrace(t);
            t.printStackTrace(out);
            out.println(); // the real client leaves an empty line after a stack trace
        }
        out.flush();
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(String header) {
        if (header == null || header.isEmpty()) return null;
        try {
            Object tree = Json.parse(header);
            return tree instanceof Map ? (Map<String, Object>) tree : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    // --- errors -----------------------------------------------------------------------------------------------

    private static String messageOf(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    }

    /** `{errorMessage, errorType, stackTrace}` as the Java runtime reports an exception. */
    private static Map<String, Object> errorBody(Throwable t, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorMessage", message);
        body.put("errorType", t.getClass().getName());
        List<Object> frames = new ArrayList<>();
        filterStackTrace(t);
        for (StackTraceElement e : t.getStackTrace()) frames.add(e.toString());
        body.put("stackTrace", frames);
        return body;
    }

    /** Drops the runtime's own frames (this bootstrap's), down the cause chain, as the real client drops its own. */
    private static void filterStackTrace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            List<StackTraceElement> kept = new ArrayList<>();
            for (StackTraceElement e : c.getStackTrace()) {
                String cls = e.getClassName();
                if (cls.startsWith("lambdatwin.")) continue;
                kept.add(e);
            }
            c.setStackTrace(kept.toArray(new StackTraceElement[0]));
            if (c.getCause() == c) break;
        }
    }

    // --- the Runtime API --------------------------------------------------------------------------------------

    private HttpURLConnection open(String path, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(api + path).openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("User-Agent", USER_AGENT);
        c.setReadTimeout(0);
        c.setUseCaches(false);
        return c;
    }

    private void post(String path, byte[] body, String errorType) throws IOException {
        HttpURLConnection c = open(path, "POST");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(body.length);
        c.setRequestProperty("Content-Type", errorType != null ? "application/json" : "application/json");
        if (errorType != null) c.setRequestProperty("Lambda-Runtime-Function-Error-Type", errorType);
        try (OutputStream os = c.getOutputStream()) {
            os.write(body);
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in != null) {
            in.readAllBytes();
            in.close();
        }
    }
}
