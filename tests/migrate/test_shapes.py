"""fit: an output value cut to an input shape by botocore's model."""

from __future__ import annotations

import botocore.session
from botocore.validate import validate_parameters

from guardrails.migrate.shapes import fit

MODEL = botocore.session.get_session().get_service_model("datazone")


def test_a_data_source_configuration_output_fits_the_create_input():
    output = {"glueRunConfiguration": {"accountId": "123456789012", "region": "us-east-1", "dataAccessRole": "arn:aws:iam::1:role/r",
                                       "relationalFilterConfigurations": [{"databaseName": "sales", "schemaName": "x"}]}}
    shape = MODEL.operation_model("CreateDataSource").input_shape
    fitted = fit(output, shape.members["configuration"])
    assert fitted == {"glueRunConfiguration": {"dataAccessRole": "arn:aws:iam::1:role/r",
                                               "relationalFilterConfigurations": [{"databaseName": "sales", "schemaName": "x"}]}}
    validate_parameters({"domainIdentifier": "dzd_1", "name": "n", "projectIdentifier": "p", "type": "GLUE", "configuration": fitted}, shape)


def test_a_blueprint_configuration_item_fits_put_input():
    """Ids and timestamps go; the blueprint is named by the planner (environmentBlueprintIdentifier), not copied."""
    item = {"domainId": "dzd_1", "environmentBlueprintId": "bp", "enabledRegions": ["us-east-1"], "createdAt": "2026-01-01",
            "provisioningRoleArn": "arn:aws:iam::1:role/p", "regionalParameters": {"us-east-1": {"S3Location": "s3://b"}}}
    fitted = fit(item, MODEL.operation_model("PutEnvironmentBlueprintConfiguration").input_shape)
    assert fitted == {"enabledRegions": ["us-east-1"], "provisioningRoleArn": "arn:aws:iam::1:role/p",
                      "regionalParameters": {"us-east-1": {"S3Location": "s3://b"}}}
