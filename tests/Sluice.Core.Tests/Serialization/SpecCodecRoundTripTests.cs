using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;
using Sluice.Core.Yaml;

namespace Sluice.Core.Tests.Serialization;

/// <summary>Stored specs are canonical JSON read back through the validating reader: encoding must be a fixed point.</summary>
public sealed class SpecCodecRoundTripTests
{
    public static TheoryData<string, DocumentKind, string> Specs => new()
    {
        { "workspace", DocumentKind.Workspace, "name: main-ws\ndisplay_name: Main\nlocation: westeurope\npublic_network_access: disabled\nmanaged_network:\n  isolation_mode: allow_internet_outbound\nhbi_workspace: true\nkey_vault: kv-main\ntags:\n  team: ml\n" },
        { "local datastore", DocumentKind.Datastore, "name: local_store\ntype: local\npath: /srv/sluice/data\ndescription: on the server\n" },
        { "azure_blob datastore", DocumentKind.Datastore, "name: blob_store\ntype: azure_blob\naccount_name: acct\ncontainer_name: data\nendpoint: core.windows.net\nprotocol: https\ncredentials:\n  sas_token: \"sv=2024&sig=abc%3D\"\n" },
        { "uri_file data", DocumentKind.Data, "name: heart\nversion: \"2\"\ntype: uri_file\npath: azureml://datastores/ds/paths/heart/data.csv\ntags:\n  rows: \"303\"\n" },
        { "uri_folder data", DocumentKind.Data, "name: heart\ntype: uri_folder\npath: https://example.blob.core.windows.net/data/heart/\ndescription: \"quotes \\\" and: colons\"\n" },
        { "model", DocumentKind.Model, "name: mnist\nversion: \"1\"\ntype: mlflow_model\npath: azureml://subscriptions/s/resourcegroups/rg/workspaces/ws/datastores/ds/paths/models/mnist/\nstage: production\nproperties:\n  framework: torch\n" },
        { "environment", DocumentKind.Environment, "name: torch-env\nimage: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\nconda_file: azureml://datastores/ds/paths/envs/conda.yaml\nbuild:\n  path: azureml://datastores/ds/paths/envs/ctx/\n  dockerfile_path: Dockerfile\nos_type: windows\n" },
        { "compute", DocumentKind.Compute, "name: cpu-cluster\ntype: amlcompute\nsize: STANDARD_DS3_v2\nmin_instances: 1\nmax_instances: 4\nidle_time_before_scale_down: 300\ntier: low_priority\nnetwork_settings:\n  vnet_name: vnet\n  subnet: nodes\nenable_node_public_ip: false\n" },
        { "batch endpoint", DocumentKind.BatchEndpoint, "name: mnist-batch\ndescription: MNIST\ndefaults:\n  deployment_name: mnist-torch-dpl\n" },
        {
            "model batch deployment", DocumentKind.BatchDeployment,
            "name: mnist-torch-dpl\nendpoint_name: mnist-batch\nmodel:\n  name: mnist\n  path: azureml://datastores/ds/paths/models/mnist/\ncode_configuration:\n  code: azureml://datastores/ds/paths/code/\n  scoring_script: batch_driver.py\n"
            + "environment:\n  name: torch-env\n  image: python:3.12\ncompute: azureml:batch-cluster\nresources:\n  instance_count: 2\nsettings:\n  mini_batch_size: 5\n  error_threshold: 3\n  output_action: summary_only\n  retry_settings:\n    timeout: 300\n  environment_variables:\n    MODE: fast\n"
        },
        { "pipeline batch deployment", DocumentKind.BatchDeployment, "name: hello-batch-dpl\nendpoint_name: hello-batch\ntype: pipeline\ncomponent: azureml:hello_batch@latest\nsettings:\n  default_compute: batch-cluster\n  continue_on_step_failure: true\n" },
        { "job definition deployment", DocumentKind.BatchDeployment, "name: hello-from-job\ntype: pipeline\njob_definition: azureml:job_1\n" },
        { "virtual network", DocumentKind.VirtualNetwork, "type: virtual_network\nname: vnet1\nlocation: westeurope\naddress_space: [10.0.0.0/16, \"fd00:db8::/48\"]\ndns_servers: [10.0.0.4]\nsubnets:\n  - name: compute\n    address_prefix: 10.0.1.0/24\n    network_security_group: nsg\n    route_table: rt\n    nat_gateway: nat\n    delegations: [Microsoft.Batch/batchAccounts]\n    service_endpoints: [Microsoft.Storage]\n    private_endpoint_network_policies: Enabled\npeerings:\n  - name: to-hub\n    remote_virtual_network: hub\n    use_remote_gateways: true\n" },
        { "virtual network with gateway", DocumentKind.VirtualNetwork, "type: virtual_network\nname: hub\naddress_space: [10.1.0.0/16]\ngateway:\n  address_prefixes: [192.168.0.0/16]\n" },
        { "network security group", DocumentKind.NetworkSecurityGroup, "type: network_security_group\nname: nsg\nsecurity_rules:\n  - {name: a, priority: 100, direction: Inbound, access: Allow, protocol: \"*\", source_address_prefix: SluiceControlPlane, destination_application_security_groups: [asg], destination_port_ranges: [\"80\", \"1000-2000\"], description: d}\n  - {name: b, priority: 100, direction: Outbound, access: Deny, protocol: Icmp, source_address_prefixes: [10.0.0.0/24, 10.0.1.4], destination_address_prefix: Internet, destination_port_range: \"*\"}\n" },
        { "route table", DocumentKind.RouteTable, "type: route_table\nname: rt\ndisable_bgp_route_propagation: true\nroutes:\n  - {name: fw, address_prefix: 0.0.0.0/0, next_hop_type: VirtualAppliance, next_hop_ip_address: 10.0.0.4}\n  - {name: st, address_prefix: Storage, next_hop_type: Internet}\n" },
        { "nat gateway", DocumentKind.NatGateway, "type: nat_gateway\nname: nat1\npublic_ip_addresses: [203.0.113.10]\nidle_timeout_in_minutes: 10\n" },
        { "application security group", DocumentKind.ApplicationSecurityGroup, "type: application_security_group\nname: asg-web\n" },
        { "network interface", DocumentKind.NetworkInterface, "type: network_interface\nname: nic\nsubnet: vnet1/compute\nprivate_ip_address: 10.0.1.4\npublic_ip_address: 203.0.113.4\nnetwork_security_group: nsg\napplication_security_groups: [asg]\nenable_ip_forwarding: true\n" },
        { "private endpoint", DocumentKind.PrivateEndpoint, "type: private_endpoint\nname: pe\nsubnet: vnet1/endpoints\nprivate_ip_addresses: [10.0.2.5]\nprivate_link_service_connection: {target: storage_account:mystorage, group_id: blob, status: Pending}\ncustom_dns_configs:\n  - {fqdn: mystorage.blob.core.windows.net, ip_addresses: [10.0.2.5]}\n" },
        { "storage account", DocumentKind.StorageAccount, "type: storage_account\nname: mystorage\npublic_network_access: Disabled\npublic_address: 20.60.1.5\nnetwork_rule_set: {default_action: Deny, bypass: [AzureServices, Logging], ip_rules: [203.0.113.0/24], virtual_network_rules: [vnet1/compute]}\n" },
        { "secret store", DocumentKind.SecretStore, "type: secret_store\nname: kv1\nnetwork_acls: {default_action: Deny, bypass: None}\n" },
        { "registry", DocumentKind.Registry, "type: registry\nname: acr12345\nquarantine: true\nnetwork_rule_set: {default_action: Deny, ip_rules: [198.51.100.7]}\n" },
        { "service tag", DocumentKind.ServiceTag, "type: service_tag\nname: OnPremLab\naddress_prefixes: [192.0.2.0/24, \"2001:db8::/32\"]\n" },
        {
            "command component", DocumentKind.Component,
            "name: score\nversion: \"3\"\ndisplay_name: Score\ninputs:\n  data:\n    type: uri_folder\n  rate:\n    type: number\n    default: \"0.5\"\n    min: 0\n    max: 1.5\n    optional: true\n  mode:\n    type: string\n    enum: [a, b]\n"
            + "outputs:\n  scores:\n    type: uri_folder\n    mode: upload\ncode: azureml://datastores/ds/paths/src/\nenvironment: azureml:env:1\ncommand: python score.py ${{inputs.data}} ${{inputs.rate}} ${{outputs.scores}}\nis_deterministic: false\n"
        },
        {
            "pipeline component", DocumentKind.Component,
            "name: batch_scoring\ntype: pipeline\ninputs:\n  input_data:\n    type: uri_folder\noutputs:\n  scores:\n    type: uri_folder\njobs:\n  prep:\n    component: azureml:prep@latest\n    compute: cpu\n    inputs:\n      data: ${{parent.inputs.input_data}}\n      model:\n        path: azureml:heart@latest\n        type: mlflow_model\n      hint:\n        type: string\n    outputs:\n      prepared:\n"
            + "  score:\n    component:\n      command: python s.py ${{inputs.d}}\n      inputs:\n        d:\n          type: uri_folder\n      environment:\n        image: python:3.12\n    inputs:\n      d: ${{parent.jobs.prep.outputs.prepared}}\n    outputs:\n      out:\n        mode: upload\n        path: ${{parent.outputs.scores}}\n"
        },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Encode_ReadBackAsJson_GivesTheSameJsonAgain(string description, DocumentKind kind, string yaml)
    {
        var original = Spec.Valid<ResourceSpec>(Spec.Read(yaml, kind));
        var json = SpecCodec.Encode(original);

        var reread = SpecReader.Read(json, $"{description}.json", null, new SpecReadOptions { CheckLocalPaths = false }, kind);

        Assert.True(reread.IsValid, $"{json}\n{string.Join("\n", reread.Diagnostics)}");
        Assert.Empty(reread.Diagnostics);
        Assert.Equal(json, SpecCodec.Encode((ResourceSpec)reread.Spec!));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Decode_OfEncode_GivesAnEqualEncoding(string description, DocumentKind kind, string yaml)
    {
        var original = Spec.Valid<ResourceSpec>(Spec.Read(yaml, kind));
        var json = SpecCodec.Encode(original);

        var decoded = SpecCodec.Decode(original.Kind, json);

        Assert.Equal(original.Kind, decoded.Kind);
        Assert.Equal(original.GetType(), decoded.GetType());
        Assert.True(json == SpecCodec.Encode(decoded), description);
    }

    [Fact]
    public void Encode_WritesSnakeCaseKeysAndDefaults()
    {
        var deployment = Spec.Valid<ModelBatchDeploymentSpec>("name: my-dpl\nmodel: azureml:m@latest\n");

        Assert.Equal(
            """{"name":"my-dpl","tags":{},"type":"model","model":"azureml:m@latest","resources":{"instance_count":1,"properties":{}},"settings":{"mini_batch_size":10,"max_concurrency_per_instance":1,"error_threshold":-1,"mini_batch_error_threshold":-1,"retry_settings":{"max_retries":3,"timeout":30},"logging_level":"info","output_action":"append_row","output_file_name":"predictions.csv","environment_variables":{}}}""",
            SpecCodec.Encode(deployment));
    }

    [Fact]
    public void Decode_OfASpecWithALocalPath_RefusesIt()
    {
        var data = Spec.Valid<DataAssetSpec>("name: heart\ntype: uri_folder\npath: ./data\n");

        var exception = Assert.Throws<InvalidOperationException>(() => SpecCodec.Decode(ResourceKind.Data, SpecCodec.Encode(data)));

        Assert.Equal("A stored data asset no longer reads: stored data asset:1:54: path: './data' is a local path, which the server cannot read; upload the content first (the sluice CLI does this for you) and refer to it as azureml://datastores/<datastore>/paths/<path>", exception.Message);
    }
}
