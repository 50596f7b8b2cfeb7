# Sleeps for `seconds` (default 5) before answering: with its 1 s timeout it shows what a timeout does.
import time


def lambda_handler(event, context):
    seconds = float(event.get('seconds', 5))
    print('sleeping for {} s, {} ms left'.format(seconds, context.get_remaining_time_in_millis()))
    time.sleep(seconds)
    return {'slept': seconds}
