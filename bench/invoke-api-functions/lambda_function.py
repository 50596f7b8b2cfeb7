def lambda_handler(event, context):
    return {"ok": True, "event": event}
