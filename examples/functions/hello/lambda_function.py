# The seeds' "Returning a message" handler: greets the person named in the event.
def lambda_handler(event, context):
    message = 'Hello {} {}!'.format(event['first_name'], event['last_name'])
    return {
        'message': message
    }
