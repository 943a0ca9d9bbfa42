//! Names every program may use without declaring them: the JavaScript and
//! Node.js globals, and SomonScript's Tajik built-in names.

pub fn is_global(name: &str) -> bool {
    matches!(
        name,
        // SomonScript built-ins (decisions.md §2.1).
        "рӯйхат" | "сатр" | "сатрМетодҳо" | "объект" | "математика" | "Риёзӣ" | "Хато" | "чоп" | "ваъда" | "Ваъда"
        // ECMAScript.
        | "globalThis" | "Infinity" | "NaN" | "undefined" | "eval" | "isFinite" | "isNaN" | "parseFloat" | "parseInt"
        | "decodeURI" | "decodeURIComponent" | "encodeURI" | "encodeURIComponent" | "escape" | "unescape"
        | "Array" | "ArrayBuffer" | "Atomics" | "BigInt" | "BigInt64Array" | "BigUint64Array" | "Boolean" | "DataView"
        | "Date" | "Error" | "AggregateError" | "EvalError" | "RangeError" | "ReferenceError" | "SyntaxError" | "TypeError"
        | "URIError" | "FinalizationRegistry" | "Float32Array" | "Float64Array" | "Function" | "Int8Array" | "Int16Array"
        | "Int32Array" | "Intl" | "Iterator" | "JSON" | "Map" | "Math" | "Number" | "Object" | "Promise" | "Proxy" | "Reflect"
        | "RegExp" | "Set" | "SharedArrayBuffer" | "String" | "Symbol" | "Uint8Array" | "Uint8ClampedArray" | "Uint16Array"
        | "Uint32Array" | "WeakMap" | "WeakRef" | "WeakSet" | "arguments"
        // Node.js and web platform globals available in Node 20/22.
        | "require" | "module" | "exports" | "__dirname" | "__filename" | "process" | "Buffer" | "global" | "console"
        | "setTimeout" | "clearTimeout" | "setInterval" | "clearInterval" | "setImmediate" | "clearImmediate"
        | "queueMicrotask" | "structuredClone" | "fetch" | "Request" | "Response" | "Headers" | "FormData" | "URL"
        | "URLSearchParams" | "TextEncoder" | "TextDecoder" | "AbortController" | "AbortSignal" | "Event" | "EventTarget"
        | "Blob" | "File" | "performance" | "atob" | "btoa" | "crypto" | "Crypto" | "CryptoKey" | "SubtleCrypto"
        | "WebAssembly" | "BroadcastChannel" | "MessageChannel" | "MessagePort" | "MessageEvent" | "DOMException"
        | "ReadableStream" | "WritableStream" | "TransformStream" | "CompressionStream" | "DecompressionStream"
        | "TextEncoderStream" | "TextDecoderStream" | "WebSocket" | "navigator" | "CustomEvent"
    )
}
