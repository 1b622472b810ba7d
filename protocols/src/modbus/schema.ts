/**
 * The device-profile schema (TypeBox, so the static type and the JSON schema cannot drift).
 * A profile maps a device's registers to metrics; the Modbus driver is driven by profiles,
 * never by a hard-coded register map, because devices differ even within one model.
 */
import { Type, type Static } from 'typebox';

/** Same rule as metric names in the MQTT contract's `Reading`. */
export const METRIC_PATTERN = '^[A-Za-z][A-Za-z0-9_.]{0,63}$';

const Metric = Type.String({ pattern: METRIC_PATTERN, description: 'metric name in readings, with its unit: temperatureC, outputVoltageV' });
const Text = (maxLength: number, description: string) => Type.String({ maxLength, description });

export const RegisterFunctionSchema = Type.Union([Type.Literal('holding'), Type.Literal('input'), Type.Literal('coil'), Type.Literal('discrete')]);
export const RegisterType = Type.Union([Type.Literal('u16'), Type.Literal('s16'), Type.Literal('u32'), Type.Literal('s32'), Type.Literal('f32')]);
export type RegisterType = Static<typeof RegisterType>;
export const WordOrder = Type.Union([Type.Literal('big'), Type.Literal('little')]);
export type WordOrder = Static<typeof WordOrder>;
export const AlarmSeverity = Type.Union([Type.Literal('info'), Type.Literal('risk'), Type.Literal('fault'), Type.Literal('critical')]);

export const ModbusRegister = Type.Object(
  {
    metric: Metric,
    function: RegisterFunctionSchema,
    address: Type.Integer({ minimum: 0, maximum: 0xffff, description: '0-based address on the wire (vendor "30002" = input 1)' }),
    type: Type.Optional(RegisterType),
    wordOrder: Type.Optional(WordOrder),
    scale: Type.Optional(Type.Number({ description: 'multiplier applied to the raw value, default 1' })),
    offset: Type.Optional(Type.Number({ description: 'added after scaling, default 0' })),
    unit: Type.Optional(Text(32, 'unit for people, e.g. °C, V, A')),
    description: Type.Optional(Text(500, 'what the register means')),
    states: Type.Optional(
      Type.Record(Type.String({ pattern: '^(0|-?[1-9][0-9]*)$' }), Text(256, 'state name'), {
        description: 'raw value → state name; makes a string metric',
      }),
    ),
    bit: Type.Optional(Type.Integer({ minimum: 0, maximum: 15, description: 'one bit of a 16-bit register; makes a boolean metric' })),
  },
  { additionalProperties: false },
);
export type ModbusRegister = Static<typeof ModbusRegister>;

export const ModbusAlarm = Type.Object(
  {
    metric: Metric,
    below: Type.Optional(Type.Number()),
    above: Type.Optional(Type.Number()),
    equals: Type.Optional(Type.Union([Type.Number(), Type.Boolean(), Text(256, 'state name')])),
    severity: AlarmSeverity,
    type: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$', description: 'event type the hub raises, e.g. psu-over-temperature' }),
    message: Type.Optional(Text(500, 'text for people')),
  },
  { additionalProperties: false },
);
export type ModbusAlarm = Static<typeof ModbusAlarm>;

export const SerialDefaults = Type.Object(
  {
    unitId: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    baudRate: Type.Optional(Type.Integer({ minimum: 300, maximum: 921600 })),
    parity: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')])),
    dataBits: Type.Optional(Type.Union([Type.Literal(7), Type.Literal(8)])),
    stopBits: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
  },
  { additionalProperties: false },
);

export const ModbusProfile = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' }),
    description: Type.Optional(Text(1000, 'what the profile is for')),
    manufacturer: Type.Optional(Text(128, 'device manufacturer')),
    model: Type.Optional(Text(128, 'device model')),
    defaults: Type.Optional(SerialDefaults),
    readGap: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 124,
        description: 'unmapped registers one read may span to save requests; default 0, as many devices reject reads of unmapped addresses',
      }),
    ),
    registers: Type.Array(ModbusRegister, { minItems: 1, maxItems: 1000 }),
    alarms: Type.Optional(Type.Array(ModbusAlarm, { maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type ModbusProfile = Static<typeof ModbusProfile>;
