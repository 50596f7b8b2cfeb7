# The triggers example's handlers: an upload is turned into a job (its result goes to the Jobs queue as the async
# invoke's on-success destination), the worker takes jobs from the queue, and the reporter runs on a schedule.
import json


def ingest(event, context):
    keys = [r['s3']['object']['key'] for r in event['Records']]
    print('ingest', keys)
    return {'job': 'thumbnail', 'keys': keys}


def work(event, context):
    for record in event['Records']:
        destination = json.loads(record['body'])
        print('work', destination['responsePayload'])
    return {}


def report(event, context):
    print('report', event['detail-type'], event['time'])
    return {'report': event['time']}
