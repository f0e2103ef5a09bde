"""Build DataZone domains on the test endpoint through botocore's client (so every seeding call is validated
against the model too): a source domain with one of everything the migration copies, and a target."""

from __future__ import annotations

import json
import uuid

import boto3

from tests.audit.world import World

ACCOUNT, REGION = "123456789012", "us-east-1"
IAM_ROLE = f"arn:aws:iam::{ACCOUNT}:role/DataEngineer"
SMITHY = "@amazon.datazone#displayname(defaultName: \"Cost center\")\nstructure CostCenterForm { @required costCenter: String }"
TABLE = f"arn:aws:glue:{REGION}:{ACCOUNT}:table/sales/orders"


class Estate:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.store = endpoint.store
        self.world = World(endpoint)
        self.datazone = boto3.client("datazone", region_name=REGION, endpoint_url=endpoint.url)
        self.idc_users: dict[str, str] = {}

    # -- domains and people -----------------------------------------------------------------------------
    def domain(self, name: str, key: str | None = None, version: str = "V1") -> str:
        args = {"name": name, "domainExecutionRole": f"arn:aws:iam::{ACCOUNT}:role/DataZoneExecution", "domainVersion": version}
        if key:
            args["kmsKeyIdentifier"] = key
        if version == "V2":
            args["serviceRole"] = f"arn:aws:iam::{ACCOUNT}:role/DataZoneService"
        return self.datazone.create_domain(**args)["id"]

    def cmk_domain(self, name: str = "research-cmk", version: str = "V1") -> str:
        return self.domain(name, self.world.key(), version)

    def user(self, domain: str, username: str) -> str:
        """An IAM Identity Center user with a profile in `domain` (each domain gives it another profile id)."""
        idc_id = self.idc_users.setdefault(username, str(uuid.uuid4()))
        self.store.directory_users[idc_id] = username
        return self.datazone.create_user_profile(domainIdentifier=domain, userIdentifier=idc_id, userType="SSO_USER")["id"]

    def iam_user(self, domain: str, arn: str = IAM_ROLE) -> str:
        return self.datazone.create_user_profile(domainIdentifier=domain, userIdentifier=arn, userType="IAM_ROLE")["id"]

    def group(self, domain: str, name: str) -> str:
        group_id = f"g-{name}"
        self.store.directory_groups[group_id] = name
        return self.datazone.create_group_profile(domainIdentifier=domain, groupIdentifier=group_id)["id"]

    def blueprint(self, domain: str, name: str = "DefaultDataLake") -> str:
        return next(b["id"] for b in self.datazone.list_environment_blueprints(domainIdentifier=domain)["items"] if b["name"] == name)

    def target(self, name: str = "research-cmk", version: str = "V1") -> str:
        """A CMK domain where the source's people already have profiles, except bob."""
        domain = self.cmk_domain(name, version)
        self.user(domain, "alice")
        self.group(domain, "analysts")
        self.iam_user(domain)
        return domain

    # -- a source with one of everything ------------------------------------------------------------------
    def source(self, name: str = "research", key: str | None = None, *, uncopyable: bool = True) -> str:
        """With `uncopyable`, also a member with no profile in the target (bob) and an environment made without a
        profile: both must end up in the report for manual work."""
        dz, domain = self.datazone, self.domain(name, key)
        root = dz.get_domain(identifier=domain)["rootDomainUnitId"]
        sales = dz.create_domain_unit(domainIdentifier=domain, name="Sales", parentDomainUnitIdentifier=root)["id"]
        dz.create_domain_unit(domainIdentifier=domain, name="EMEA", parentDomainUnitIdentifier=sales)
        analytics = dz.create_project(domainIdentifier=domain, name="team-analytics", description="Sales analytics",
                                      domainUnitId=sales)["id"]
        ml = dz.create_project(domainIdentifier=domain, name="team-ml")["id"]
        members = [(analytics, {"userIdentifier": self.user(domain, "alice")}, "PROJECT_OWNER"),
                   (analytics, {"groupIdentifier": self.group(domain, "analysts")}, "PROJECT_CONTRIBUTOR"),
                   (ml, {"userIdentifier": self.iam_user(domain)}, "PROJECT_CONTRIBUTOR")]
        if uncopyable:
            members.append((ml, {"userIdentifier": self.user(domain, "bob")}, "PROJECT_CONTRIBUTOR"))
        for project, member, designation in members:
            dz.create_project_membership(domainIdentifier=domain, projectIdentifier=project, member=member, designation=designation)
        glossary = dz.create_glossary(domainIdentifier=domain, name="Finance", owningProjectIdentifier=analytics,
                                      description="Money words", status="ENABLED")["id"]
        term = {n: dz.create_glossary_term(domainIdentifier=domain, glossaryIdentifier=glossary, name=n,
                                           shortDescription=f"{n} short", status="ENABLED")["id"]
                for n in ("Revenue", "Income", "Profit")}
        dz.update_glossary_term(domainIdentifier=domain, identifier=term["Revenue"], termRelations={"isA": [term["Income"]]})
        dz.update_glossary_term(domainIdentifier=domain, identifier=term["Profit"], termRelations={"classifies": [term["Revenue"]]})
        dz.update_project(domainIdentifier=domain, identifier=analytics, glossaryTerms=[term["Revenue"]])
        dz.create_form_type(domainIdentifier=domain, name="CostCenterForm", model={"smithy": SMITHY},
                            owningProjectIdentifier=analytics, status="ENABLED", description="Who pays")
        dz.create_asset_type(domainIdentifier=domain, name="SalesTable", owningProjectIdentifier=analytics, formsInput={
            "CostCenterForm": {"typeIdentifier": "CostCenterForm", "typeRevision": "1", "required": True}})
        lake = self.blueprint(domain)
        dz.put_environment_blueprint_configuration(
            domainIdentifier=domain, environmentBlueprintIdentifier=lake, enabledRegions=[REGION, "eu-west-1"],
            provisioningRoleArn=f"arn:aws:iam::{ACCOUNT}:role/DataZoneProvisioning",
            manageAccessRoleArn=f"arn:aws:iam::{ACCOUNT}:role/DataZoneGlueAccess")
        profile = dz.create_environment_profile(
            domainIdentifier=domain, name="lake-profile", environmentBlueprintIdentifier=lake, projectIdentifier=analytics,
            awsAccountId=ACCOUNT, awsAccountRegion=REGION, userParameters=[{"name": "consumerGlueDbName", "value": "sales_db"}])["id"]
        environment = dz.create_environment(domainIdentifier=domain, projectIdentifier=analytics, name="lake",
                                            environmentProfileIdentifier=profile, glossaryTerms=[term["Revenue"]])["id"]
        if uncopyable:
            dz.create_environment(domainIdentifier=domain, projectIdentifier=ml, name="hand-made", environmentBlueprintIdentifier=lake,
                                  environmentAccountIdentifier=ACCOUNT, environmentAccountRegion=REGION)
        dz.create_data_source(domainIdentifier=domain, name="sales-glue", projectIdentifier=analytics, environmentIdentifier=environment,
                              type="GLUE", enableSetting="ENABLED", publishOnImport=False, configuration={"glueRunConfiguration": {
                                  "relationalFilterConfigurations": [{"databaseName": "sales"}]}})
        dz.create_asset(domainIdentifier=domain, name="orders", typeIdentifier="SalesTable", owningProjectIdentifier=analytics,
                        externalIdentifier=TABLE, description="All orders", glossaryTerms=[term["Revenue"]], formsInput=[
                            {"formName": "CostCenterForm", "typeIdentifier": "CostCenterForm", "typeRevision": "1",
                             "content": json.dumps({"costCenter": "cc-1"})}])
        dz.create_asset(domainIdentifier=domain, name="customers", typeIdentifier="amazon.datazone.GlueTableAssetType",
                        typeRevision="1", owningProjectIdentifier=ml)
        self.subscription(domain, ml, analytics)
        return domain

    def subscription(self, domain: str, subscriber: str, owner: str) -> None:
        """Subscriptions come from requests and approvals (no Create call): stored as ListSubscriptions describes them."""
        self.store.tables[(domain, "subscriptions")]["sub1"] = {
            "id": "sub1", "createdBy": "bob", "domainId": domain, "status": "APPROVED", "createdAt": "2026-01-05T10:00:00Z",
            "updatedAt": "2026-01-05T10:00:00Z", "subscribedPrincipal": {"project": {"id": subscriber, "name": "team-ml"}},
            "subscribedListing": {"id": "lst1", "name": "orders", "description": "All orders", "ownerProjectId": owner,
                                  "item": {"assetListing": {"entityId": "a1", "entityType": "SalesTable"}}}}
