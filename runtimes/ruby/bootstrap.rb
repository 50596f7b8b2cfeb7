# frozen_string_literal: true

# lambda-twin's Ruby runtime client: requires the handler file named by _HANDLER once, then serves events from the
# Lambda Runtime API (AWS_LAMBDA_RUNTIME_API), with the context object, error shapes and log lines of AWS's Ruby
# runtime interface client (aws_lambda_ric).
#
# Standard library only: the Runtime API is spoken over one raw keep-alive socket (net/http alone costs ~30 ms of
# start-up), json for events, results and errors, logger so `Logger.new($stdout)` lines carry the request id.

$stdout.sync = true # every line reaches the log stream as it is written, as in Lambda
$stderr.sync = true

require 'socket'
require 'json'
require 'logger'
require 'stringio'

# Every Lambda Ruby runtime (3.2 and later) keeps error_highlight's code snippet and did_you_mean's suggestions out of
# Exception#message; an older host Ruby writes them into it. Taking them out answers the errorMessage Lambda would.
if Gem::Version.new(RUBY_VERSION) < Gem::Version.new('3.2')
  [defined?(ErrorHighlight::CoreExt) && ErrorHighlight::CoreExt,
   defined?(DidYouMean::Correctable) && DidYouMean::Correctable].each do |extension|
    extension.send(:remove_method, :to_s) if extension&.method_defined?(:to_s, false)
  end
end

module LambdaTwinRuntime
  RUNTIME_PATH = '/2018-06-01/runtime'
  RUNTIME_FILE = File.expand_path(__FILE__)
  USER_AGENT = "aws-lambda-ruby/#{RUBY_VERSION}-lambda-twin"

  # The twin runs a copy of the code; _LAMBDA_TWIN_SOURCE_PATHS (JSON [[copy, source], ...]) says where each copy
  # came from, so backtraces name the user's files. Read once and removed: the function never sees it.
  SOURCE_PATHS = begin
    raw = ENV.delete('_LAMBDA_TWIN_SOURCE_PATHS')
    pairs = raw ? JSON.parse(raw) : []
    pairs.select { |pair| pair.is_a?(Array) && pair.size == 2 && pair.all? { |p| p.is_a?(String) && !p.empty? } }
         .map { |copy, source| ["#{copy.chomp('/')}/", "#{source.chomp('/')}/"] }
         .sort_by { |copy, _| -copy.length }
  rescue JSON::ParserError, NoMethodError
    []
  end

  # A backtrace line as the user should read it: a copied file named by its source.
  def self.user_path(line)
    SOURCE_PATHS.each do |copy, source|
      return source + line[copy.length..] if line.start_with?(copy)
    end
    line
  end
  # The exception classes Lambda names in the Lambda-Runtime-Function-Error-Type header; others are UserException.
  NAMED_ERROR_CLASSES = %w[ArgumentError NoMethodError Exception StandardError NameError LoadError SystemExit
                           SystemStackError].freeze
  # Process exit codes of the real client: an init failure, and a critical error in the handler.
  INIT_ERROR_EXIT = -4
  CRITICAL_ERROR_EXIT = -1

  # The Runtime API answered something a runtime cannot go on from (or went away).
  class RuntimeApiError < StandardError; end

  # The Runtime API over one HTTP/1.1 keep-alive connection, kept for the life of the environment.
  class RuntimeApiClient
    def initialize(endpoint)
      host, _, port = endpoint.rpartition(':')
      @host = host.empty? ? '127.0.0.1' : host
      @port = Integer(port)
      @host_header = endpoint
      @socket = nil
    end

    # Returns [headers (lower-case names), body] of the next event.
    def next_invocation
      status, headers, body = request('GET', '/invocation/next')
      raise RuntimeApiError, "Received #{status} when waiting for next invocation." unless status == 200

      [headers, body]
    end

    def post_response(request_id, body, content_type)
      request('POST', "/invocation/#{request_id}/response", body, 'Content-Type' => content_type)
    end

    def post_error(request_id, error_object, error_type, xray_cause)
      headers = { 'Content-Type' => 'application/json', 'Lambda-Runtime-Function-Error-Type' => error_type }
      headers['Lambda-Runtime-Function-XRay-Error-Cause'] = xray_cause if xray_cause.bytesize < 1024 * 1024
      request('POST', "/invocation/#{request_id}/error", JSON.generate(error_object), headers)
    end

    def post_init_error(error_object, error_type)
      request('POST', '/init/error', JSON.generate(error_object),
              'Content-Type' => 'application/json', 'Lambda-Runtime-Function-Error-Type' => error_type)
    end

    private

    def connect
      @socket = TCPSocket.new(@host, @port)
      @socket.setsockopt(Socket::IPPROTO_TCP, Socket::TCP_NODELAY, 1)
      @socket.binmode
    end

    def request(method, path, body = nil, headers = {})
      connect if @socket.nil?
      head = +"#{method} #{RUNTIME_PATH}#{path} HTTP/1.1\r\nHost: #{@host_header}\r\nUser-Agent: #{USER_AGENT}\r\n"
      headers.each { |name, value| head << "#{name}: #{value}\r\n" }
      head << "Content-Length: #{body.bytesize}\r\n" if body
      head << "\r\n"
      if body.nil?
        @socket.write(head)
      else
        @socket.write(head, body)
      end
      read_response
    rescue SystemCallError, IOError => e
      @socket&.close
      @socket = nil
      raise RuntimeApiError, "the Runtime API connection failed: #{e.message}"
    end

    def read_response
      status_line = @socket.gets("\r\n") or raise RuntimeApiError, 'the Runtime API closed the connection'
      status = status_line.split(' ', 3)[1].to_i
      headers = {}
      while (line = @socket.gets("\r\n")) && line != "\r\n"
        name, value = line.split(':', 2)
        headers[name.strip.downcase] = value.to_s.strip
      end
      body = read_body(headers)
      if headers['connection'].to_s.casecmp?('close')
        @socket.close
        @socket = nil
      end
      [status, headers, body]
    end

    def read_body(headers)
      if headers['transfer-encoding'].to_s.casecmp?('chunked')
        body = +''
        while (size = @socket.gets("\r\n").to_s.to_i(16)).positive?
          body << @socket.read(size)
          @socket.read(2)
        end
        @socket.gets("\r\n") # the empty line after the last chunk
        return body
      end
      length = headers['content-length'].to_i
      body = length.positive? ? @socket.read(length) : +''
      raise RuntimeApiError, 'the Runtime API closed the connection mid-body' if body.nil? || body.bytesize < length

      body
    end
  end

  # An error as the real client reports it: errorType `<Classification><ExceptionClass>`, and the stack trace of
  # the function's own frames (up to the first frame of the runtime).
  class LambdaError
    attr_reader :exception

    def initialize(exception, classification)
      @exception = exception
      @error_class = exception.class.to_s
      @error_type = "#{classification}<#{exception.class}>"
      @stack_trace = function_frames(exception)
    end

    # The value of Lambda-Runtime-Function-Error-Type.
    def runtime_error_type
      NAMED_ERROR_CLASSES.include?(@error_class) ? @error_type : 'Function<UserException>'
    end

    def to_lambda_response
      { errorMessage: @exception.message, errorType: @error_type, stackTrace: @stack_trace }
    end

    # The X-Ray cause header's JSON: where the code ran, the gem paths, and the exception with its frames.
    def xray_cause
      stack = (@exception.backtrace_locations || []).first(15).map do |frame|
        { path: frame.path, line: frame.lineno, label: frame.label }
      end
      JSON.generate(
        working_directory: Dir.pwd,
        paths: Gem.path,
        exceptions: [{ message: @exception.message, type: @error_type, stack: stack }]
      )
    end

    private

    def function_frames(exception)
      frames = []
      (exception.backtrace_locations || exception.backtrace || []).first(100).each do |frame|
        break if (frame.respond_to?(:absolute_path) ? frame.absolute_path : frame.to_s.split(':').first) == RUNTIME_FILE

        frames << LambdaTwinRuntime.user_path(frame.to_s)
      end
      frames
    end
  end

  # The handler named by _HANDLER: `file.method` (a top-level method) or `file.Module::Class.method`
  # (a class-level method); the file is required relative to the task root.
  class Handler
    attr_reader :file_name, :method_name, :class_name

    def initialize(name)
      parts = name.to_s.split('.')
      case parts.size
      when 2 then @file_name, @method_name = parts
      when 3 then @file_name, @class_name, @method_name = parts
      else
        raise ArgumentError, "Invalid handler #{parts}, must be of form FILENAME.METHOD or FILENAME.CLASS.METHOD: " \
                             'FILENAME.rb is a Ruby file in the function code, CLASS an optional module or class ' \
                             'and METHOD a method of it (a class method when CLASS is given)'
      end
    end

    def load
      require @file_name
    end

    def call(event, context)
      if @class_name
        Kernel.const_get(@class_name).send(@method_name, event: event, context: context)
      else
        TOPLEVEL_BINDING.receiver.__send__(@method_name, event: event, context: context)
      end
    end
  end

  # The context object, with the readers and methods of the real client's LambdaContext.
  class LambdaContext
    attr_reader :aws_request_id, :invoked_function_arn, :log_group_name, :log_stream_name, :function_name,
                :memory_limit_in_mb, :function_version, :identity, :client_context, :deadline_ms

    def initialize(headers)
      @deadline_ms = headers['lambda-runtime-deadline-ms'].to_i
      @aws_request_id = headers['lambda-runtime-aws-request-id']
      @invoked_function_arn = headers['lambda-runtime-invoked-function-arn']
      @log_group_name = ENV['AWS_LAMBDA_LOG_GROUP_NAME']
      @log_stream_name = ENV['AWS_LAMBDA_LOG_STREAM_NAME']
      @function_name = ENV['AWS_LAMBDA_FUNCTION_NAME']
      @memory_limit_in_mb = ENV['AWS_LAMBDA_FUNCTION_MEMORY_SIZE']
      @function_version = ENV['AWS_LAMBDA_FUNCTION_VERSION']
      identity = headers['lambda-runtime-cognito-identity']
      client_context = headers['lambda-runtime-client-context']
      @identity = JSON.parse(identity) if identity && !identity.empty?
      @client_context = JSON.parse(client_context) if client_context && !client_context.empty?
    end

    def get_remaining_time_in_millis # rubocop:disable Naming/AccessorMethodName -- Lambda's name
      remaining = @deadline_ms - Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond)
      remaining.positive? ? remaining : 0
    end
  end

  # Lambda's line format for loggers writing to stdout/stderr: severity, time, pid, request id, program, message.
  class LogFormatter < Logger::Formatter
    def call(severity, time, progname, msg)
      line = format('%<initial>s, [%<time>s #%<pid>d] %<severity>5s %<request_id>s -- %<progname>s: %<msg>s',
                    initial: severity[0], time: format_datetime(time), pid: Process.pid, severity: severity,
                    request_id: $_global_aws_request_id, progname: progname, msg: msg2str(msg))
        .encode('UTF-8', invalid: :replace, undef: :replace, replace: "\uFFFD")
      "#{line}\n"
    end
  end

  # A logger a function makes on stdout or stderr formats its lines as Lambda's does, unless it sets a formatter.
  module LoggerDefaults
    def initialize(logdev, *args, **options)
      super
      @default_formatter = LogFormatter.new if logdev.equal?($stdout) || logdev.equal?($stderr)
    end
  end
  Logger.prepend(LoggerDefaults)

  # The invoke loop: INIT (require the handler file), then one event at a time until the process is stopped.
  class Runner
    def initialize(client, handler_name)
      @client = client
      @handler_name = handler_name
      @exit_code = 0
      @active = true
    end

    def run(task_root)
      $LOAD_PATH.unshift(task_root) unless $LOAD_PATH.include?(task_root)
      begin
        @handler = Handler.new(@handler_name)
        @handler.load
      rescue Exception => e # rubocop:disable Lint/RescueException -- LoadError, SyntaxError … are no StandardError
        report_init_error(e)
        exit(INIT_ERROR_EXIT)
      end
      serve while @active
      exit(@exit_code)
    end

    private

    def serve
      headers, body = next_invocation
      request_id = headers['lambda-runtime-aws-request-id']
      $_global_aws_request_id = request_id
      trace_id = headers['lambda-runtime-trace-id']
      ENV['_X_AMZN_TRACE_ID'] = trace_id if trace_id
      begin
        event = unmarshal(headers, body)
        context = LambdaContext.new(headers)
      rescue StandardError => e
        report_error(request_id, LambdaError.new(e, 'Runtime'))
        return
      end
      invoke(request_id, event, context)
    end

    def next_invocation
      @client.next_invocation
    rescue SignalException => e
      puts "Next invocation HTTP request from the runtime interface client was interrupted with a #{e} SIGNAL, " \
           'gracefully shutting down.'
      exit(0)
    end

    def unmarshal(headers, body)
      return body unless headers['content-type'] == 'application/json'

      JSON.parse(body.force_encoding(Encoding::UTF_8))
    end

    def invoke(request_id, event, context)
      payload, content_type = marshal(@handler.call(event, context))
    rescue NoMethodError, NameError => e
      # A handler that is not there (or calls what is not there) is critical: the environment does not go on.
      critical_error(request_id, e)
    rescue StandardError => e
      error = LambdaError.new(e, 'Function')
      log_error('Error raised from handler method', error)
      report_error(request_id, error)
    rescue Exception => e # rubocop:disable Lint/RescueException -- exit, stack overflow … end the environment
      critical_error(request_id, e)
    else
      @client.post_response(request_id, payload, content_type)
    end

    # JSON by default; a StringIO or IO result is sent as it is (application/unknown).
    def marshal(result)
      case result
      when StringIO, IO then [result.read.to_s, 'application/unknown']
      else [result.to_json, 'application/json']
      end
    end

    def critical_error(request_id, exception)
      error = LambdaError.new(exception, 'Function')
      log_error('Critical exception from handler', error)
      report_error(request_id, error)
      @exit_code = CRITICAL_ERROR_EXIT
      @active = false
    end

    def report_error(request_id, error)
      @client.post_error(request_id, error.to_lambda_response, error.runtime_error_type, error.xray_cause)
    end

    def report_init_error(exception)
      error = LambdaError.new(exception, 'Init')
      log_error("Init error when loading handler #{@handler_name}", error)
      @client.post_init_error(error.to_lambda_response, error.runtime_error_type)
    end

    def log_error(message, error)
      $stdout.puts(message)
      $stdout.puts(JSON.pretty_generate(error.to_lambda_response))
    end
  end

  def self.main
    endpoint = ENV.fetch('AWS_LAMBDA_RUNTIME_API') do
      puts 'Failed to get runtime server address from AWS_LAMBDA_RUNTIME_API env variable'
      exit(-2)
    end
    task_root = ENV.fetch('LAMBDA_TASK_ROOT', Dir.pwd)
    Runner.new(RuntimeApiClient.new(endpoint), ENV.fetch('_HANDLER', '')).run(task_root)
  end
end

LambdaTwinRuntime.main
