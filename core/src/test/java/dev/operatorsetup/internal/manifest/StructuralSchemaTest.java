package dev.operatorsetup.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StructuralSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  /** A root schema whose spec property is {@code spec}. */
  private static JsonNode withSpec(String spec) throws Exception {
    return json("{'type':'object','properties':{'spec':" + spec + "}}");
  }

  @Test
  void aTypedSchemaHasNoViolations() throws Exception {
    JsonNode schema =
        json(
            "{'type':'object','description':'d','required':['spec'],'properties':{"
                + "'metadata':{'type':'object'},"
                + "'spec':{'type':'object','properties':{"
                + "'port':{'x-kubernetes-int-or-string':true,"
                + "'anyOf':[{'type':'integer'},{'type':'string'}]},"
                + "'free':{'type':'object','x-kubernetes-preserve-unknown-fields':true},"
                + "'labels':{'type':'object','additionalProperties':{'type':'string'}},"
                + "'any':{'type':'object','additionalProperties':true},"
                + "'some':{'type':'object','properties':{'a':{'type':'string'}},"
                + "'additionalProperties':true},"
                + "'mode':{'type':'string','allOf':[{'enum':['A','B']},{'enum':['B','A']}]},"
                + "'list':{'type':'array','items':{'type':'string'},"
                + "'x-kubernetes-list-type':'set'}}}}}");

    assertThat(StructuralSchema.violations(schema)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          untyped property      | {'properties':{'a':{'type':'string'}}}                 | openAPIV3Schema.properties[spec].type: must not be empty
          properties and map    | {'type':'object','properties':{'a':{'type':'string'}},'additionalProperties':{'type':'string'}} | openAPIV3Schema.properties[spec].additionalProperties: and properties are mutually exclusive
          properties and false  | {'type':'object','properties':{'a':{'type':'string'}},'additionalProperties':false} | openAPIV3Schema.properties[spec].additionalProperties: and properties are mutually exclusive
          $ref                  | {'type':'object','$ref':'#/definitions/x'}              | openAPIV3Schema.properties[spec].$ref: is not supported
          uniqueItems           | {'type':'array','items':{'type':'string'},'uniqueItems':true} | openAPIV3Schema.properties[spec].uniqueItems: cannot be true
          type null             | {'type':'null'}                                         | openAPIV3Schema.properties[spec].type: cannot be null
          unknown type          | {'type':'date'}                                         | openAPIV3Schema.properties[spec].type: "date" is not one of
          array without items   | {'type':'array'}                                        | openAPIV3Schema.properties[spec].items: must be specified for type array
          items list            | {'type':'array','items':[{'type':'string'}]}            | openAPIV3Schema.properties[spec].items: must be a schema object, not a list
          preserve false        | {'type':'object','x-kubernetes-preserve-unknown-fields':false} | openAPIV3Schema.properties[spec].x-kubernetes-preserve-unknown-fields: must be true or undefined
          type in allOf         | {'type':'string','allOf':[{'type':'string','enum':['a']}]} | openAPIV3Schema.properties[spec].allOf[0].type: must not be set inside allOf
          description in not    | {'type':'string','not':{'description':'x','enum':['a']}} | openAPIV3Schema.properties[spec].not.description: must not be set inside allOf
          junctor-only property | {'type':'object','anyOf':[{'properties':{'x':{'minLength':1}}}]} | openAPIV3Schema.properties[spec].anyOf[0].properties[x]: must also be specified outside the logical junctors
          list type on object   | {'type':'object','x-kubernetes-list-type':'set'}        | openAPIV3Schema.properties[spec].type: must be array if x-kubernetes-list-type is specified
          """)
  void eachRuleIsDetectedAndRepaired(String rule, String spec, String violation) throws Exception {
    JsonNode schema = withSpec(spec);

    List<String> found = StructuralSchema.violations(schema);
    JsonNode repaired = StructuralSchema.repair(schema);

    assertThat(found).as(rule).anySatisfy(v -> assertThat(v).startsWith(violation));
    assertThat(StructuralSchema.violations(repaired)).as(rule + " repaired").isEmpty();
    assertThat(schema).as("repair works on a copy").isEqualTo(withSpec(spec));
  }

  @Test
  void theRootMustBeAnObjectWithOnlyAllowedFields() throws Exception {
    JsonNode schema = json("{'properties':{},'additionalProperties':{'type':'string'}}");

    assertThat(StructuralSchema.violations(schema))
        .contains(
            "openAPIV3Schema.type: must be object at the root",
            "openAPIV3Schema.additionalProperties: is not allowed at the root of a CRD schema");
    assertThat(StructuralSchema.violations(StructuralSchema.repair(schema))).isEmpty();
    assertThat(StructuralSchema.violations(json("[]")))
        .containsExactly("openAPIV3Schema: must be a schema object");
  }

  @Test
  void rootMetadataMayOnlyRestrictNameAndGenerateName() throws Exception {
    JsonNode schema =
        json(
            "{'type':'object','properties':{'metadata':{'type':'object','description':'meta',"
                + "'properties':{'name':{'type':'string','maxLength':63},"
                + "'labels':{'type':'object','additionalProperties':{'type':'string'}}}}}}");

    assertThat(StructuralSchema.violations(schema))
        .contains(
            "openAPIV3Schema.properties[metadata].description: the root metadata must not specify"
                + " anything other than name and generateName",
            "openAPIV3Schema.properties[metadata].properties: the root metadata must not specify"
                + " anything other than name and generateName");
    JsonNode repaired = StructuralSchema.repair(schema);
    assertThat(StructuralSchema.violations(repaired)).isEmpty();
    assertThat(repaired.at("/properties/metadata"))
        .isEqualTo(
            json("{'type':'object','properties':{'name':{'type':'string','maxLength':63}}}"));
  }

  @Test
  void repairInfersTypesAndKeepsWhatTheSchemaAllowed() throws Exception {
    JsonNode schema =
        withSpec(
            "{'properties':{'tags':{'items':{'type':'string'}},'mode':{'enum':['a','b']},"
                + "'count':{'enum':[1,2]},'anything':{'description':'no type'},"
                + "'extra':{'type':'object','properties':{'a':{'type':'string'}},"
                + "'additionalProperties':{'type':'string'}},"
                + "'only':{'type':'object','anyOf':[{'properties':{'x':{'minLength':1}}}]}}}");

    JsonNode spec = StructuralSchema.repair(schema).get("properties").get("spec");

    assertThat(spec.get("type").asText()).isEqualTo("object");
    assertThat(spec.at("/properties/tags/type").asText()).isEqualTo("array");
    assertThat(spec.at("/properties/mode/type").asText()).isEqualTo("string");
    assertThat(spec.at("/properties/count/type").asText()).isEqualTo("integer");
    assertThat(spec.at("/properties/anything/x-kubernetes-preserve-unknown-fields").asBoolean())
        .isTrue();
    assertThat(spec.at("/properties/extra/additionalProperties").isMissingNode()).isTrue();
    assertThat(spec.at("/properties/extra/x-kubernetes-preserve-unknown-fields").asBoolean())
        .isTrue();
    assertThat(
            spec.at("/properties/only/properties/x/x-kubernetes-preserve-unknown-fields")
                .asBoolean())
        .as("x is kept by the structural part")
        .isTrue();
    assertThat(spec.at("/properties/only/anyOf/0/properties/x/minLength").asInt()).isEqualTo(1);
  }
}
