# Returns a value JSON cannot represent (a set): Lambda answers with Runtime.MarshalError.
def lambda_handler(event, context):
    return {'tags': {'red', 'green'}}
