"""Key policies shared by the rule and policy-analysis tests."""

ROOT_JOIN = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"]]}
MANAGEMENT_ACTIONS = ["kms:CreateAlias", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                      "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
                      "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]
USAGE_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]

# CDK-style least privilege: the root administers without using (kms:CreateAlias, not CDK's kms:Create*, which
# includes kms:CreateGrant and so lets the administrator grant itself use); use is scoped per service.
LEAST_PRIVILEGE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": ROOT_JOIN},
         "Action": MANAGEMENT_ACTIONS, "Resource": "*"},
        {"Sid": "DataZoneUse", "Effect": "Allow", "Principal": {"AWS": ROOT_JOIN},
         "Action": USAGE_ACTIONS, "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Sub": "datazone.${AWS::Region}.amazonaws.com"}},
                       "StringLike": {"kms:EncryptionContext:aws:datazone:domainId": "*"}}},
        {"Sid": "DataZoneGrant", "Effect": "Allow", "Principal": {"AWS": ROOT_JOIN},
         "Action": "kms:CreateGrant", "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Sub": "datazone.${AWS::Region}.amazonaws.com"}},
                       "Bool": {"kms:GrantIsForAWSResource": "true"}}},
    ],
}
