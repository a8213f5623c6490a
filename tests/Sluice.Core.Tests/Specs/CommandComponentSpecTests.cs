using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class CommandComponentSpecTests
{
    [Fact]
    public void CommandComponent_WithNameAndCommand_FillsDefaults()
    {
        var result = Spec.Read("name: hello\ncommand: python hello.py\n");

        var component = Spec.Valid<CommandComponentSpec>(result);
        Assert.Equal(DocumentKind.Component, result.Kind);
        Assert.Equal(ComponentType.Command, component.Type);
        Assert.Equal("python hello.py", component.Command);
        Assert.True(component.IsDeterministic);
        Assert.Empty(component.Inputs);
        Assert.Empty(component.Outputs);
        Assert.Null(component.Code);
        Assert.Null(component.Environment);
        Assert.Null(component.Version);
    }

    [Fact]
    public void CommandComponent_WithEveryField_ReadsThemAllAndWarnsAboutDistribution()
    {
        var result = Spec.Read(
            """
            $schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
            name: uci_heart_score
            version: "1"
            display_name: Score
            type: command
            is_deterministic: false
            inputs:
              data:
                type: uri_folder
                description: rows to score
              rate:
                type: number
                default: "0.5"
                min: 0
                max: 1
                optional: true
              mode:
                type: string
                enum: [append, replace]
            outputs:
              scores:
                type: uri_folder
                mode: upload
            code: azureml://datastores/ds/paths/src/
            environment: azureml:xgboost-sklearn-py38@latest
            command: python score.py --data ${{inputs.data}} --rate ${{inputs.rate}} --mode ${{inputs.mode}} --out ${{outputs.scores}}
            distribution:
              type: mpi
            """);

        var component = Spec.Valid<CommandComponentSpec>(result);
        Assert.Equal(("1", "Score", false), (component.Version, component.DisplayName, component.IsDeterministic));
        Assert.Equal(["data", "mode", "rate"], component.Inputs.Keys);
        Assert.Equal(IoType.UriFolder, component.Inputs["data"].Type);
        Assert.Equal("rows to score", component.Inputs["data"].Description);
        var rate = component.Inputs["rate"];
        Assert.Equal((IoType.Number, "0.5", true, 0d, 1d), (rate.Type, rate.Default, rate.Optional, rate.Min, rate.Max));
        Assert.Equal(["append", "replace"], component.Inputs["mode"].Enum);
        Assert.Equal((IoType.UriFolder, "upload"), (component.Outputs["scores"].Type, component.Outputs["scores"].Mode));
        Assert.Equal("azureml://datastores/ds/paths/src/", component.Code?.Text);
        Assert.Equal("azureml:xgboost-sklearn-py38@latest", component.Environment?.Reference?.Text);
        Assert.Equal(["spec.yml:28:3: warning: distribution: distributed training settings do not apply to batch scoring steps; ignored"], Spec.Messages(result));
    }

    [Fact]
    public void CommandComponent_WithoutCommand_ReportsTheMissingCommand()
    {
        var result = Spec.Read("name: hello\ntype: command\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'command'; the command line the step runs, e.g. 'python score.py --data ${{inputs.data}}'");
    }

    [Fact]
    public void CommandComponent_WithBadInputsAndOutputs_ReportsEveryProblem()
    {
        var result = Spec.Read(
            """
            name: score
            command: python x.py ${{inputs.missing}}
            inputs:
              1bad:
                type: uri_folder
              untyped:
                description: x
            outputs:
              o:
                type: uri_folder
                mode: copy
            """);

        Spec.Errors(
            result,
            "spec.yml:4:3: inputs.1bad: '1bad' is not a valid input or output name (letters, digits and '_', not starting with a digit)",
            "spec.yml:7:5: missing required key 'inputs.untyped.type'; one of: uri_file, uri_folder, mltable, mlflow_model, custom_model, triton_model, string, integer, number, boolean",
            "spec.yml:11:11: outputs.o.mode: 'copy' is not an output mode; expected upload, rw_mount or direct",
            "spec.yml:2:10: command: '${{inputs.missing}}' names no declared input or output; declared: inputs.1bad, inputs.untyped, outputs.o");
    }

    [Fact]
    public void CommandComponent_WithJobs_SaysJobsBelongToPipelines()
    {
        var result = Spec.Read("name: hello\ntype: command\ncommand: echo hi\njobs:\n  a: {}\n");

        Spec.SingleError(result, "spec.yml:4:1: jobs: belongs to pipeline components (type: pipeline)");
    }

    [Fact]
    public void CommandComponent_WithMistypedIoType_SuggestsTheType()
    {
        var result = Spec.Read("name: hello\ncommand: echo ${{inputs.d}}\ninputs:\n  d:\n    type: uri_foldr\n");

        Spec.SingleError(result, "spec.yml:5:11: inputs.d.type: 'uri_foldr' is not allowed; expected one of: uri_file, uri_folder, mltable, mlflow_model, custom_model, triton_model, string, integer, number, boolean (did you mean 'uri_folder'?)");
    }
}
