"use strict";
function тавсиф(ном) {
    if (ном == null) {
        return "бе ном";
    }
    return "ном: " + ном;
}

console.log(тавсиф("Сино"), тавсиф(null), тавсиф(undefined), тавсиф());
console.log(null === null, undefined === undefined, null == undefined);
console.log(typeof null, typeof undefined, typeof NaN, typeof Infinity);
console.log(NaN === NaN, Number.isNaN(NaN), Infinity > 1e308, -Infinity < 0);
console.log(1 / 0 === Infinity, Math.max() === -Infinity);
console.log(typeof globalThis, globalThis.Math === Math);

let х = null;
let у = undefined;
console.log(х ?? "холӣ", у ?? "беқимат", [null, undefined].length);
х = 5;
console.log(х, JSON.stringify({ а: null, б: undefined, в: NaN }));
const объект = { null: 1, undefined: 2, NaN: 3 };
console.log(объект.null + объект.undefined + объект.NaN);
