// The Context and LambdaLogger a handler receives, built with java.lang.reflect.Proxy over the interfaces of the
// function's own aws-lambda-java-core (found through its class loader), so no copy of AWS's interfaces ships here
// and whatever version the function packages is the one it sees.
package lambdatwin;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;

final class Contexts {
    private static final String CORE = "com.amazonaws.services.lambda.runtime.";

    private final ClassLoader loader;
    private final Class<?> contextInterface;
    private final Class<?> loggerInterface;
    private final Object logger;
    private final PrintStream out;

    Contexts(ClassLoader loader, PrintStream out) {
        this.loader = loader;
        this.out = out;
        this.contextInterface = find(CORE + "Context");
        this.loggerInterface = find(CORE + "LambdaLogger");
        this.logger = loggerInterface == null ? null : proxy(loggerInterface, this::log);
        installRuntimeLogger();
    }

    Class<?> contextInterface() {
        return contextInterface;
    }

    private Class<?> find(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private Object proxy(Class<?> iface, InvocationHandler handler) {
        return Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (self, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    if (method.getParameterCount() == 0) return iface.getSimpleName() + "@lambda-twin";
                    break;
                case "hashCode":
                    if (method.getParameterCount() == 0) return System.identityHashCode(self);
                    break;
                case "equals":
                    if (method.getParameterCount() == 1) return self == args[0];
                    break;
                default:
            }
            return handler.invoke(self, method, args);
        });
    }

    /** LambdaLogger.log(String | byte[] [, LogLevel]): the message to stdout, one log line per call. */
    private Object log(Object self, Method method, Object[] args) {
        if (!method.getName().equals("log") || args == null || args.length == 0) return null;
        byte[] bytes = args[0] instanceof byte[] ? (byte[]) args[0] : String.valueOf(args[0]).getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(bytes, 0, bytes.length);
            if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') out.write('\n');
            out.flush();
        }
        return null;
    }

    /** LambdaRuntime.getLogger() answers our logger, as the real runtime replaces it in INIT. */
    private void installRuntimeLogger() {
        Class<?> runtime = find(CORE + "LambdaRuntime");
        if (runtime == null || logger == null) return;
        for (Field f : runtime.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == loggerInterface) {
                try {
                    f.setAccessible(true);
                    f.set(null, logger);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a final field on a newer core: LambdaRuntime.getLogger() then prints through its own default
                }
            }
        }
    }

    /** What one invocation's Context reports. */
    static final class Invocation {
        String requestId;
        long deadlineMs;
        String invokedFunctionArn;
        String traceId;
        String tenantId;
        Map<String, Object> clientContext;
        Map<String, Object> cognitoIdentity;
    }

    Object context(Invocation inv) {
        if (contextInterface == null) return null;
        Map<String, String> env = System.getenv();
        return proxy(contextInterface, (self, method, args) -> {
            switch (method.getName()) {
                case "getAwsRequestId": return inv.requestId;
                case "getLogGroupName": return env.get("AWS_LAMBDA_LOG_GROUP_NAME");
                case "getLogStreamName": return env.get("AWS_LAMBDA_LOG_STREAM_NAME");
                case "getFunctionName": return env.get("AWS_LAMBDA_FUNCTION_NAME");
                case "getFunctionVersion": return env.get("AWS_LAMBDA_FUNCTION_VERSION");
                case "getInvokedFunctionArn": return inv.invokedFunctionArn;
                case "getMemoryLimitInMB": return Integer.parseInt(env.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"));
                case "getRemainingTimeInMillis": return (int) Math.max(0, inv.deadlineMs - System.currentTimeMillis());
                case "getLogger": return logger;
                case "getTenantId": return inv.tenantId;
                case "getXrayTraceId": return inv.traceId;
                case "getIdentity": return inv.cognitoIdentity == null ? null : identity(method.getReturnType(), inv.cognitoIdentity);
                case "getClientContext": return inv.clientContext == null ? null : clientContext(method.getReturnType(), inv.clientContext);
                default: return defaultValue(method);
            }
        });
    }

    private Object identity(Class<?> iface, Map<String, Object> identity) {
        return proxy(iface, (self, method, args) -> {
            switch (method.getName()) {
                case "getIdentityId": return string(identity.get("cognitoIdentityId"));
                case "getIdentityPoolId": return string(identity.get("cognitoIdentityPoolId"));
                default: return defaultValue(method);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private Object clientContext(Class<?> iface, Map<String, Object> clientContext) {
        Map<String, Object> client = clientContext.get("client") instanceof Map ? (Map<String, Object>) clientContext.get("client") : Collections.emptyMap();
        return proxy(iface, (self, method, args) -> {
            switch (method.getName()) {
                case "getClient":
                    return proxy(method.getReturnType(), (s, m, a) -> {
                        switch (m.getName()) {
                            case "getInstallationId": return string(client.get("installation_id"));
                            case "getAppTitle": return string(client.get("app_title"));
                            case "getAppVersionName": return string(client.get("app_version_name"));
                            case "getAppVersionCode": return string(client.get("app_version_code"));
                            case "getAppPackageName": return string(client.get("app_package_name"));
                            default: return defaultValue(m);
                        }
                    });
                case "getCustom": return stringMap(clientContext.get("custom"));
                case "getEnvironment": return stringMap(clientContext.get("env"));
                default: return defaultValue(method);
            }
        });
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static Map<String, String> stringMap(Object value) {
        if (!(value instanceof Map)) return Collections.emptyMap();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) out.put(String.valueOf(e.getKey()), string(e.getValue()));
        return out;
    }

    private static Object defaultValue(Method method) {
        Class<?> r = method.getReturnType();
        if (!r.isPrimitive() || r == void.class) return null;
        if (r == boolean.class) return false;
        if (r == long.class) return 0L;
        if (r == double.class) return 0d;
        if (r == float.class) return 0f;
        if (r == char.class) return '\0';
        if (r == short.class) return (short) 0;
        if (r == byte.class) return (byte) 0;
        return 0;
    }
}
