import json


def handler(event, context):
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"hello": "python", "path": event.get("rawPath") or event.get("path")})}
