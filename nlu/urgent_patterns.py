"""High-recall wording of immediate danger, per language, matched on folded text.

Folded text is lower-case, without accents or punctuation, numbers as "0" (nlu.normalize.fold).
The patterns back up the urgency classifier on indirect wording: violence happening now or
promised for tonight, intent to die, a child in danger now, a person held, a medical
emergency now. They are written for recall. Guards remove what the data calls not urgent:
everyday hyperbole ("me muero de hambre", "this heat is killing me"), danger that is over
("hace meses ... ahora estoy mejor") and fear of being killed on return (an asylum question).
"""

# ruff: noqa: E501  (regex tables read best with one pattern per line)

from __future__ import annotations

import re

_KID_ES = r"(hij[oa]s?|hijit[oa]s?|nin[oa]s?|ninit[oa]s?|bebes?|chamit[oa]s?|chamac[oa]s?|sobrin[oa]s?|hermanit[oa]s?|niet[oa]s?|muchachit[oa]s?|pelaitos?|menor|chiquit[oa]s?)"
_KID_EN = r"((0 (year|yr)s? old |little |small |young |youngest |oldest |eldest )?(son|daughter|child|kid|baby|boy|girl|kids|children|nephew|niece|brother|sister|toddler))"
_KID_PT = r"(filh[oa]s?|crianc[ao]s?|bebe|nenem|sobrinh[oa]|irmaozinho|irmazinha|menin[oa]|garot[oa])"
_KID_FR = r"(fils|fille|enfants?|bebe|petit|petite|neveu|niece|gamin|gamine)"
_KID_HT = r"(pitit|pitit fi|pitit gason|timoun|bebe|ti bebe|nyes|neve|ti fi|ti gason)"
_WEAPON = r"(cuchillo|machete|pistola|revolver|arma|armas|navaja|escopeta|knife|gun|machete|pistol|weapon|blade|faca|facao|couteau|arme|pistolet|fusil|machette|kouto|zam|revolve|pistole|manchet|kouto)"
_PRESENT = r"(afuera|puerta|entrar|aqui|encima|cuello|viene|tiene|llego|persigue|amenaz\w*|apunta|buscando|siguiendo|con un|con una|outside|door|inside|coming|here|throat|has|chasing|pointing|waving|breaking|looking for|following|with a|with his|threaten\w*|fora|porta|pescoco|vem|ta com|esta com|chegou|seguindo|com um|com uma|ameac\w*|dehors|porte|ici|cou|vient|il a|arrive|main|cherche|avec une?|menac\w*|deyo|pot|antre|isit|ap vin|li gen|rive|men m|nan men|ak yon|menase)"

SPANISH = (
    # violence happening now, just happened, or promised for tonight
    r"\b(me|nos|la|lo|le|les) (esta|estan|sigue|siguen|anda|andan) (pegando|golpeando|matando|ahorcando|asfixiando|violando|apunalando|chuzando|pateando|quemando|arrastrando|tocando|manoseando|abusando|persiguiendo)",
    r"\b(me|nos) (pega|pegan|golpea|golpean|ahorca|viola|patea|amenaza|amenazan)\b.{0,30}\b(ahorita|ahora mismo|ahora|en este momento|esta noche)\b",
    r"\b(esperandome|me estan esperando|me esta esperando|nos estan esperando)\b.{0,20}\b(afuera|en la puerta|abajo|en la esquina)\b",
    r"\besta (pegando|golpeando|violando|abusando|ahorcando|matando|apunalando|pateando) (a|al)\b",
    r"\b(me|nos|la|lo) (acaba|acaban) de (violar|pegar|golpear|apunalar|chuzar|abusar|atacar|disparar)",
    r"\bme acaban? de (violar|abusar)|\b(estoy|esta) (sangrando|herida|herido) .{0,30}\b(el|ella|sigue|todavia)",
    r"\b(me|nos|la|lo|te) (va|van|quiere|quieren|iba|iban|piensa|piensan|vienen|viene) a (matar|desaparecer|picar|quemar|violar|llevar a la fuerza|pegar|chuzar)",
    r"\b(hoy|esta noche|ahorita|ahora|ya|manana) (si )?(me|nos|la|lo) (mata|matan|va a matar)",
    r"\bsi (me|nos) (ve|ven|encuentra|encuentran|agarra|agarran) .{0,40}\b(me|nos) (mata|matan)\b",
    r"\b(me|nos) matan\b",
    r"\bamenaz.{0,60}\b(esta noche|hoy|ahorita|en la noche|ahora|vuelve|regresa|afuera|esperando|esperandome)\b",
    r"\b" + _WEAPON + r"\b.{0,50}\b" + _PRESENT + r"\b",
    r"\b" + _PRESENT + r"\b.{0,50}\b" + _WEAPON + r"\b",
    r"\b(rompiendo|tumbando|pateando|forzando|partiendo) (la puerta|todo|las cosas)",
    r"\b(escondid[oa]s?|me encerre en|nos encerramos en)\b",
    r"\b(me|nos) (esta|estan|anda|andan) (persiguiendo|rodeando)\b|\b(tipos|hombres|manes|unos|armados|grupo|ellos)\b.{0,20}\b(nos|me) (esta|estan) (molestando|amenazando|acosando|siguiendo|persiguiendo)",
    r"\b(hombres|tipos|hommes|homens|men) (nos|nous|me|us) (amenazan|siguen|persiguen|menacent|suivent|poursuivent|ameacam|seguem|threaten|follow)\b|\b(pa fos|de force|a forca|by force|a la fuerza)\b",
    r"\bmiedo (de )?q(ue)? (vuelva|regrese|venga|me encuentre|me mate|entre)\b|\bantes de q(ue)? vuelva\b",
    r"\b(aqui|aca) es (muy )?peligroso\b|\b(estoy|estamos) en peligro\b|\bin danger\b|\bem perigo\b|\ben danger\b|\bnan danje\b",
    r"\b(embarazada|pregnant|gravida|enceinte|ansent)\b.{0,60}\b(sangr|bleed|saign|senyen)|\b(sangr|bleed|saign|senyen)\w*\b.{0,60}\b(embarazada|pregnant|gravida|enceinte|ansent)\b",
    r"\b(recien nacido|newborn|recem nascido|nouveau ne)\b.{0,60}\b(calle|street|rua|rue|lari|frio|cold|froid)\b|\b(calle|street|rua|rue|lari)\b.{0,60}\b(recien nacido|newborn|recem nascido|nouveau ne)\b",
    r"\b(freezing|congelando|hypotherm|hipotermia|tiritando)\b|\b(tremble|tremblent|tranble|temblando|shaking|tremendo)\b.{0,20}\b(de froid|ak fret|de frio|from cold|from the cold|de frio)\b",
    r"\bel rio se (lo |la )?llevo\b|\bse (lo|la) llevo el rio\b|\bswept away\b|\barrastrad[oa] por el rio\b|\bo rio levou\b|\bemporte par (la riviere|le courant)\b|\bdlo a pote\b",
    r"\b(veut|veulent|vle|quieren|quiere|querem|quer|want to|wants to|trying to) (nous |me |nos |n |to )?(faire du mal|hacer dano|hurt us|hurt me|fazer mal|fe n mal|fe m mal)\b",
    r"\b(boule kay|bruler la maison|quemar la casa|burn the house|burn our house|queimar a casa)\b|\b(queimaram|incendiaram|botaram fogo n)\w* (nossa|minha|a) (casa|barraca)\b|\bont brule (notre|ma|la) (maison|tente)\b",
    r"\b(me|nos) (tiene|tienen) rodead|\bse (estan )?acercan?\b.{0,20}(tipos|hombres|manes)|(tipos|hombres|manes) .{0,20}se (estan )?acercan",
    r"\b(disparando|balacera|tiroteo|nos disparan|disparos)\b",
    r"\b(armados|hombres armados|tipos armados|grupo armado)\b.{0,50}\b(nos|me|estan|tienen|llevando|rodeando|quieren|amenaz|agarraron|pararon|llevan)\b",
    r"\b(me|nos) (quieren|van a) (subir|meter) a (un|una|el|la) (carro|camioneta|moto|camion)",
    r"\b(quemaron|incendiaron|le prendieron fuego a) (el|la|nuestro|nuestra|mi) (cambuche|casa|rancho|carpa)",
    # wanting to die, a plan, saying goodbye
    r"\bquitarme la vida|\bsuicid|\bmatarme\b|\bme (voy|quiero) (a )?matar\b|\bme mato\b|\bse (va|quiere) (a )?matar\b",
    r"\b(me quiero|quiero|quisiera|deseo|se quiere) morir",
    r"\bno (quiero|deseo) (seguir )?(viviendo|vivir|estar viv)",
    r"\b(irme|me voy|me fui|desaparecer|salir) de este mundo",
    r"\bacabar con (todo|mi vida|esto de una vez|esta vida)|\bse acaba todo\b|\bhoy se acaba\b",
    r"\b(despedirme|me despido|se despide) (de todos|de ustedes|para siempre|pa siempre|de la vida|de este mundo|de mis hijos)|\b(mi|esta es mi) despedida\b|\badios (a todos|para siempre|pa siempre)",
    r"\b(mi|es mi|hoy es mi) (ultimo|ultima) (mensaje|dia|noche)\b|\b(es|sera) la ultima\b|\bultima vez q(ue)? me (ven|escuchan|leen)\b",
    r"\b(tome|trague|tomar|tomarme|tragarme|me voy a tomar|me las voy a tomar|se tomo|se trago) .{0,25}(pastillas|pepas|veneno|raticida|cloro)",
    r"\b(tengo|ya tengo|compre) (las|unas|muchas) pastillas|\bfrasco de pastillas\b",
    r"\b(cortarme|me corte|me voy a cortar|cortar) (las venas|los brazos|las munecas)",
    r"\b(ahorcarme|colgarme|ahorcarse|la cuerda lista|la soga)\b",
    r"\b(tirarme|lanzarme) (del|de un|de la|al|a un|a la|por)\b|\b(me voy a|voy a|se va a|me quiero) (tirar|lanzar)\b",
    r"\bmejor (estar|estaria|me muero|muert[oa])|\bestarian mejor sin mi\b|\bno vale la pena vivir\b",
    r"\bya (escribi|deje) (la|una) carta\b|\bq(ue)? sepa(n)? q(ue)? me fui\b|\bno me van a ver mas\b|\bnadie me va a extranar\b",
    r"\bya lo tengo (todo )?(planeado|decidido)|\bya lo decidi\b",
    # children in danger now
    r"\b(mi|el|la|los|las|mis|un|una) "
    + _KID_ES
    + r"\b.{0,50}\b(se perdio|se me perdio|no aparece|desaparecio|se lo llevaron|se la llevaron|se los llevaron|no lo encuentro|no la encuentro|no ha llegado|no ha vuelto|no volvio|no llega)",
    r"\b(se me perdio|perdi a|no encuentro a|no aparece) (mi|mis|el|la) " + _KID_ES,
    r"\bse (la|lo|los|las) (llevo|llevaron|robaron) (un|una|unos|unas|el|la|los|en)\b",
    r"\b(se llevaron|se robaron|secuestraron|raptaron|se robo|se llevo) (a )?(mi|mis|al|a la|a los|el|la) " + _KID_ES,
    r"\b(se fue|se lo llevaron|se la llevaron|se lo quieren llevar|se la quieren llevar|lo quieren llevar) con (unos |los |el )?(armados|grupo armado|guerrilla|paracos|elenos|los del monte)",
    r"\b(la|lo|los|las) (esta|estan) (tocando|manoseando|violando|abusando)|\b(esta|estan) (abusando|tocando|violando|manoseando) (a )?(mi|mis|la|el|una|un)\b",
    r"\b(se encerro|esta encerrado|se metio) con (mi|la|el) " + _KID_ES,
    r"\b"
    + _KID_ES
    + r"\b.{0,40}\b(sol[oa]s?|abandonad[oa]s?)\b.{0,50}\b(herid|sangr|golpead|lastimad|quemad|llorando|enferm|no come)",
    r"\b"
    + _KID_ES
    + r"\b.{0,30}\b(tirad[oa]|herid[oa]|sangrando)\b|\b(herid[oa]|sangrando)\b.{0,20}\b"
    + _KID_ES
    + r"\b",
    # held, locked in, not allowed to leave
    r"\bno (me|nos|la|lo|los|las) (deja|dejan|dejaron|quiere dejar|quieren dejar) (salir|ir|irme|irnos|escapar|bajar)\b(?! (con|los|sin|hasta|a ver|de noche))",
    r"\b(me|nos|la|lo) (tiene|tienen) (encerrad|secuestrad|retenid|amarrad|trancad|escondid)",
    r"\b(estoy|estamos|esta|estan) (encerrad|secuestrad|retenid|amarrad|trancad)[oa]s?\b",
    r"\b(me|nos|la|lo) (encierra|encierran|encerro|encerraron)\b|\bcon llave\b",
    r"\bno (puedo|podemos) (salir|escapar|escaparme|irme|huir)\b",
    r"\bsi (intento|trato de|me trato de|me quiero|nos queremos) (escapar|irme|salir|volar) .{0,30}\b(matan|mata|hacen dano|hacen algo)",
    r"\ba la fuerza\b|\bescribo a escondidas\b|\b(me|nos) (tienen|tiene) vigilad",
    # medical emergency now
    r"\bno (respira|puede respirar|esta respirando|reacciona|despierta|se despierta|se mueve|puede mover)\b",
    r"\bse (esta )?ahogando\b|\b(convulsion|convulsiona|desangr|inconsciente|infarto|envenenad|sobredosis|espuma por la boca)",
    r"\b(botando|echando|perdiendo|bota|echa) (mucha )?sangre\b|\bsangrando (mucho|de la cabeza|sin parar|por)|\bno para de sangrar",
    r"\b(le|me|lo|la) (pico|mordio) (una|un) (culebra|serpiente|vibora|alacran|escorpion)",
    r"\b(pariendo|dando a luz|esta naciendo)\b|\b(rompi|rompio|se me rompio|se le rompio) (la )?fuente\b",
    r"\b(atropello|atropellaron|lo atropello|la atropello)\b|\b(punalada|apunalad[oa]|balead[oa]|le dispararon|le pegaron un tiro)",
    r"\b(tomo|bebio|se tomo|se trago|trago|se comio) .{0,20}(cloro|veneno|raticida|gasolina|algo raro|varsol|creolina|pastillas)",
    r"\b(se desmayo|se cayo|cayo)\b.{0,40}\b(no se despierta|no reacciona|no despierta|sangr|no habla|no responde)",
    r"\bdolor .{0,20}pecho\b.{0,40}\b(no puede|no puedo|brazo|no respira)",
)

ENGLISH = (
    r"\b(is|are|started|s|re|was|were) (hitting|beating|choking|strangling|stabbing|raping|attacking|kicking|burning|hurting|touching|abusing)\b|\bbeing (beaten|raped|attacked|hit|stabbed|choked|abused)\b",
    r"\b(is|are|s|re) (following|chasing) (me|us)\b.{0,30}\b(now|right now|tonight|street|road)\b|\b(men|guys|people|group|they) (are |re )?(bothering|threatening|following|harassing|chasing) (us|me)\b",
    r"\b(just|has just|have just) (raped|beat|hit|stabbed|attacked|shot)\b|\bi (was|ve been|have been) (just )?(raped|stabbed|shot)\b",
    r"\b(gonna|going to|about to|will|wants to|want to|coming to|trying to) (kill|murder|rape|shoot|stab|burn|hurt) (me|us|her|him|my|them|the)\b",
    r"\b(want|wants|gonna|going|coming|trying) to take (my|our|the) " + _KID_EN + r"\b.{0,30}\b(tonight|now|today)\b",
    r"\b(wants|want|threatened|threatens|promised|said he would|said she would|says he will|says they will) (to )?(kill|murder|shoot|burn)\b",
    r"\b(hits|beats|is hitting|is beating|chokes|is choking) (me|us)\b.{0,20}\b(right now|now)\b|\bwaiting for me (outside|at the door)\b",
    r"\b(kill|murder|hurt) (me|us|her|him) (tonight|today|now|right now)\b|\b(tonight|today) (is|will be) my last\b",
    r"\b(tonight|today|right now)\b.{0,40}\b(kill|killed|murder|dead)\b",
    r"\b" + _WEAPON + r"\b.{0,50}\b" + _PRESENT + r"\b",
    r"\b" + _PRESENT + r"\b.{0,50}\b" + _WEAPON + r"\b",
    r"\b(breaking|kicking|banging|trying to break|trying to open) (down )?(the|my|our) door\b|\bbreak the door\b",
    r"\b(hiding|hidden|locked myself|locked ourselves|hid) (from|in|inside|under)\b",
    r"\b(men|guys|people|someone|a man|armed men|armed group) (with guns|with knives|armed)?\b.{0,20}\b(stopped|took|taking|following|pointing|came to|are here|outside|surround)",
    r"\b(shooting|gunshots|shots fired|shooting at us)\b",
    r"\b(burned|set fire to) (our|my|the) (house|tent|home|shack)\b",
    r"\bsuicid|\bkill (myself|my self)\b|\bend (my life|it all|everything|it tonight)\b|\btake my (own )?life\b",
    r"\b(want|wanna|going|gonna|ready|i want) (to )?die\b|\bdon t want to (live|be alive|wake up)\b|\bdont want to live\b|\bno reason to live\b",
    r"\b(better off|be better) (dead|without me)\b|\bnot be here (tomorrow|anymore)\b|\bnobody will miss me\b|\bwhen i m gone\b|\bwhen im gone\b",
    r"\b(goodbye|bye) (forever|everyone|to everyone|to all)\b|\b(my|this is my|is my) last (message|day|night)\b|\blast time you hear\b|\b(leave|leaving) this world\b",
    r"\b(took|swallowed|take|swallow|gonna take|will take|have|bought) (all |a lot of |many |the |a bunch of |some |all the )?(pills|tablets|poison|rat poison)\b",
    r"\b(cut|cutting) (my|his|her) (wrists|veins|arms)\b|\bcut myself\b|\bhang (myself|himself|herself)\b|\bthe rope\b",
    r"\bjump (off|from)\b|\b(on|at) the bridge\b.{0,30}\bjump\b|\b(already )?wrote the letter\b|\bi finish today\b|\bkill (himself|herself)\b",
    r"\b(my|the|our|a) "
    + _KID_EN
    + r"\b.{0,50}\b(is missing|went missing|is lost|got lost|was taken|been taken|can t find|cant find|disappeared|disappear|kidnapped|didn t come back|didnt come back|hasn t come back|nobody knows where)\b",
    r"\b(took|kidnapped|snatched|grabbed|taking) (my|our|the|a) " + _KID_EN + r"\b",
    r"\bcan ?t find (my|our) " + _KID_EN + r"\b",
    r"\b(is|are) (abusing|touching|raping|molesting|hurting|beating) (my|our|the|a|her|his)\b",
    r"\b"
    + _KID_EN
    + r"\b.{0,40}\balone\b.{0,50}\b(hurt|sick|crying|bleeding|injured|screaming)\b|\b"
    + _KID_EN
    + r"\b.{0,30}\b(screaming|bleeding)\b",
    r"\b(won t|will not|don t|do not|doesn t|does not|didn t|dont|doesnt|wont|didnt) (let|allow) (me|us|her|him|them) (leave|go|out|get out)\b",
    r"\b(locked|trapped|held|kept|chained|tied) (me |us |her |him )?(in|inside|up|against|here|prisoner|hostage|captive)\b",
    r"\b(i m|i am|we re|we are|im|she is|he is) (locked|trapped|being held|held|kidnapped|tied)\b|\bis held by\b",
    r"\bcan ?t (leave|get out|escape)\b|\b(writing|texting|messaging) (in secret|secretly|hidden)\b|\bif i (try to )?(escape|leave|run) .{0,30}\bkill\b",
    r"\bforce (me|us) to\b.{0,40}\b(every night|clients)\b",
    r"\b(not|isn t|isnt|stopped|can t|cant|cannot) breath(e|ing)?\b|\bunconscious\b|\bseizure|\bconvuls",
    r"\bbleeding (a lot|heavily|badly|out|so much)\b|\bblood (won t|wont|dont|doesn t|don t|does not) stop\b|\boverdose\b|\bheart attack\b|\bpoisoned\b",
    r"\b(drank|swallowed|ate|drink) (some )?(chlorine|bleach|poison|cleaning|rat poison)\b|\bwater broke\b|\bgiving birth\b",
    r"\b(snake|scorpion) bit\b|\bbitten by a (snake|scorpion)\b|\b(hit|ran over|run over) by a (car|truck|motorbike|bus)\b|\ba (car|truck|motorbike|bus|moto) hit\b",
    r"\bcan ?t move (his|her|my) (legs|body)\b|\bturning blue\b|\b(won t|wont|doesn t|not) wake up\b|\b(stabbed|shot) (him|her|my)\b",
)

PORTUGUESE = (
    r"\b(me|nos|a|o) (esta|estao|ta|tao|fica|continua) (batendo|espancando|enforcando|esfaqueando|estuprando|matando|chutando|queimando|machucando|perseguindo|seguindo|ameacando)",
    r"\b(esta|estao|ta|tao|continua|tava) (me )?(batendo|espancando|enforcando|esfaqueando|estuprando|chutando|machucando|mexendo com|abusando)\b",
    r"\b(me|nos) (bate|batem|espanca|enforca|ameaca)\b.{0,30}\b(agora|hj de noite|essa noite|hoje a noite)\b|\b(me esperando|esperando por mim) (la fora|fora)\b",
    r"\b(ta|esta|tao|estao) apanhando\b|\bacabei de ser (estuprad|agredid|esfaquead|atacad)",
    r"\b(vai|vao|quer|querem|ameacou|ameaca|disse q vai|falou q vai) (me |nos |te )?(matar|estuprar|esfaquear|queimar|levar)\b",
    r"\b(hj|hoje|essa noite|esta noite|agora)\b.{0,30}\b(me mata|mata|meu ultimo dia|ultimo dia)\b",
    r"\b" + _WEAPON + r"\b.{0,50}\b" + _PRESENT + r"\b",
    r"\b" + _PRESENT + r"\b.{0,50}\b" + _WEAPON + r"\b",
    r"\b(arrombar|arrombando|chutando|quebrando|forcando) a porta\b",
    r"\b(homens|caras) armados\b|\b(tao|estao|ta|esta) (ameacando|mexendo com|seguindo|perseguindo) a gente\b|(?<!pronto )\bsocorro\b|\bchama a policia\b|\btiros\b",
    r"\b(me tranquei|to escondid|estou escondid|escondida|escondido)\b",
    r"\bsuicid|\bme matar\b|\bmatar-me\b|\btirar (a )?minha (propria )?vida\b|\bacabar com (tudo|a minha vida|minha vida)\b|\bacaba tudo\b",
    r"\b(quero|queria|vou) morrer\b|\bnao (quero|aguento) (mais )?viver\b|\b(vou embora|ir embora|sumir) d(este|esse|o) mundo\b",
    r"\b(me despedir|me despeco|adeus) (de todos|para sempre|pra sempre|a todos)\b|\bminha ultima mensagem\b|\bmeu ultimo dia\b",
    r"\b(tomei|tomar|vou tomar|separei|comprei|engoli|tomou) .{0,20}(remedios|comprimidos|pilulas|veneno)\b|\bveneno de rato\b",
    r"\b(me cortei|cortar os pulsos|me enforcar|se enforcar|me jogar d[aeo])\b|\bmelhor (morto|morta|sem mim)\b|\ba corda\b",
    r"\b(to|estou) na ponte\b|\bquero pular\b|\bninguem vai sentir minha falta\b|\bja escrevi a carta\b",
    r"\b(meu|minha|meus|minhas|o|a|um|uma) "
    + _KID_PT
    + r"\b.{0,50}\b(sumiu|desapareceu|perdid[oa]|se perdeu|levaram|foi levad|nao acho|sequestrad|nao voltou|ninguem sabe)",
    r"\b(levaram|sequestraram|pegaram|roubaram|querem levar|levar) (o meu|a minha|meu|minha|o|a) " + _KID_PT + r"\b",
    r"\bnao (acho|encontro) (o meu|a minha|meu|minha|meus|minhas)\b",
    r"\b(ta|esta|tao|estao) (batendo|machucando|mexendo com|abusando de|abusando|tocando|estuprando) (n)?(a|o|uma|um|minha|meu)\b",
    r"\b" + _KID_PT + r"\b.{0,40}\bsozinh[oa]s?\b.{0,50}\b(machucad|doente|chorando|sangr)",
    r"\bnao (me|nos|a|o) (deixa|deixam|deixaram) (sair|ir embora|ir|fugir)\b|\bnao deixam a gente sair\b",
    r"\b(estou|estamos|to|tamo|tamos) (trancad|pres|sequestrad|amarrad)[oa]s?\b|\b(esta|estao|ta|tao) (trancad|sequestrad|amarrad)[oa]s?\b|\b(ta|esta) pres[oa] com\b",
    r"\b(me|nos) (trancaram|trancou|prenderam|sequestraram|amarraram)\b|\bme (mantem|mantem) pres",
    r"\bnao (consigo|posso|podemos) (sair|fugir)\b|\bme obrigam\b|\bse eu (tentar )?fugir\b.{0,30}\bmata",
    r"\bnao (respira|consigo respirar|esta respirando|ta respirando|acorda|reage|mexe)\b|\b(convulsao|convulsionando|desmaiad|inconsciente|infarto|overdose|envenenad|hemorragia)",
    r"\bsangrando (muito|mt|sem parar)\b|\bsangue nao para\b|\bbolsa (estourou|rompeu)\b|\bparindo\b|\bficando roxo\b",
    r"\b(bebeu|engoliu|tomou) .{0,20}(agua sanitaria|cloro|veneno|produto)\b|\b(cobra|escorpiao) (picou|mordeu)\b|\batropel|\bfacada\b|\besfaquead|\bbaleado\b|\bdor (forte )?no peito\b",
)

FRENCH = (
    r"\b(il|elle|ils|on) (me|nous|la|le) (frappe|frappent|bat|battent|etrangle|viole|poignarde|tue|tape|cherche|cherchent)\b(?! (tous les|souvent|parfois|quand))",
    r"\b(me|nous) (frappe|frappent|bat|battent|etrangle|etranglent|tape|tapent|viole|violent|menace|menacent)\b.{0,30}\b(en ce moment|maintenant|encore|ce soir|cette nuit)\b",
    r"\b(est|sont) en train de (me|nous|la|le|l)? ?(frapper|battre|tuer|violer|etrangler|emmener)",
    r"\bvient de (me |m )?(violer|frapper|battre|poignarder|agresser)",
    r"\b(va|vont|veut|veulent|menace de|vient|viennent) (me|nous|la|le|te) (tuer|violer|poignarder|egorger|bruler|emmener)\b",
    r"\b(ce soir|cette nuit|aujourd hui) c (est )?la derniere fois\b|\bla derniere fois\b|\bbruler la maison\b",
    r"\b(tuer|tue)\b.{0,40}\b(ce soir|aujourd hui|maintenant|cette nuit)\b|\b(ce soir|aujourd hui|maintenant|cette nuit)\b.{0,40}\b(tuer|tue)\b",
    r"\b" + _WEAPON + r"\b.{0,50}\b" + _PRESENT + r"\b",
    r"\b" + _PRESENT + r"\b.{0,50}\b" + _WEAPON + r"\b",
    r"\b(defonce|casse|force|enfonce) la porte\b|\bau secours\b|\bcoups de feu\b|\btirent sur\b",
    r"\b(hommes|gars|types) armes\b.{0,30}\b(nous|me|prennent|arrete|suivent|menacent|sont la|devant|dehors|pour nous)\b",
    r"\b(cache|cachee|caches|cachees) (dans|sous|chez)\b|\b(me suit|nous suivent|nous menacent)\b.{0,20}\b(rue|maintenant|la|route|nuit)\b",
    r"\bsuicid|\bme tuer\b|\b(mettre fin|en finir) a (ma vie|mes jours|tout)\b|\ben finir\b|\bse tuer\b",
    r"\b(veux|vais|voudrais|prefere|jveux) (me )?mourir\b|\bne (veux|peux) plus vivre\b|\bplus (envie|la force) de vivre\b|\bquitte(r)? ce monde\b",
    r"\badieu\b|\bmon dernier message\b|\bje m en vais pour toujours\b|\bpersonne (va|ne va) me regretter\b|\bc (est )?fini pour moi\b|\bje serai plus la\b",
    r"\b(pris|avale|prendre|avaler|vais tout prendre|achete) .{0,20}(medicaments|comprimes|cachets|pilules|poison)\b|\bdes pilules\b",
    r"\bme (pendre|jeter)\b|\bse pendre\b|\b(couper|coupe) les veines\b|\bsur le pont\b|\bsauter\b|\bma lettre\b|\bmieux (mort|morte|sans moi)\b",
    r"\b(mon|ma|mes|le|la|un|une) "
    + _KID_FR
    + r"\b.{0,50}\b(a disparu|disparu|perdu(?! une annee)|perdue|enleve|kidnappe|emmene|introuvable|pas rentre|pas rentree)\b",
    r"\b(ont enleve|a enleve|ont pris|a pris|ont kidnappe|emmenent|emmene|enlever) (mon|ma|mes|un|une) "
    + _KID_FR
    + r"\b|\bemmener un enfant\b",
    r"\bje (ne )?(trouve|retrouve) plus (mon|ma|mes)\b",
    r"\b(touche|viole|abuse de|bat|frappe) (ma|mon|son|sa|un|une) (fille|fils|enfant|bebe|petite)\b",
    r"\b" + _KID_FR + r"\b.{0,40}\b(seul|seule|seuls)\b.{0,50}\b(blesse|saigne|pleure|malade)\b|\benfant blesse\b",
    r"\b(me|nous|la|le) (laisse|laissent) pas (sortir|partir)\b|\bne (me|nous) (laisse|laissent) (pas )?(sortir|partir)\b",
    r"\b(suis|sommes|est|sont|m a|m ont|nous a|nous ont|me tient|me tiennent|nous tiennent) (enferme|enfermee|sequestre|sequestree|attache|attachee|retenu|retenue|prisonnier|prisonniere)s?\b",
    r"\bfermee? a cle\b|\b(peux|peut|pouvons) pas (sortir|partir|m enfuir|fuir)\b|\bnous garde dans\b",
    r"\bne respire (plus|pas)\b|\brespire mal\b|\bpeux pas respirer\b|\b(inconscient|convulsion|convulse|hemorragie|overdose|crise cardiaque|empoisonn)",
    r"\bsaigne beaucoup\b|\bperdu les eaux\b|\baccouche (maintenant|dans|ici|seule)\b|\bavale .{0,20}(produit|javel|poison|medicament)\b|\b(se )?reveille pas\b|\bdevient bleu\b|\bpoignarde\b|\bmalaise\b",
    r"\bdouleur .{0,20}poitrine\b|\b(mordu|pique) par un serpent\b|\brenverse par\b",
)

CREOLE = (
    r"\b(ap|pral|pra|prale|vle|ap vin|pral vin|vin) (bat|touye|kale|trangle|vyole|frape|boule) (mwen|m|nou|li|n|pitit)\b",
    r"\bl ap (frape|bat|cheche|kale|trangle) (tet )?(m|mwen|nou|n)\b|\bswiv (mwen|m|nou)\b.{0,30}\b(kounye a|kounya|nan lari|aswe a)\b|\b(k ap|ap) menase (nou|n|mwen|m)\b(?! sou)",
    r"\bfenk (fe m kadejak|bat mwen|frape m|vyole m|fe kadejak)\b|\bap fe m kadejak\b",
    r"\b(touye|touyem|touye m|touye mwen)\b.{0,40}\b(aswe a|aswe|jodi a|kounye a|konnya|kounya|kounyea)\b",
    r"\b(aswe a|aswe|jodi a|kounye a|konnya|kounya|kounyea)\b.{0,40}\btouye\b|\bdenye fwa\b",
    r"\b" + _WEAPON + r"\b.{0,50}\b" + _PRESENT + r"\b",
    r"\b" + _PRESENT + r"\b.{0,50}\b" + _WEAPON + r"\b",
    r"\b(kraze|kase|choute|fose) (pot la|pot)\b|\banmwe\b|\b(neg|moun|gwoup) ame\b.{0,30}\b(kanpe|pran|menase|deyo|vini|tire|swiv|la a|kenbe)\b|\bap tire\b|\bm kache\b",
    r"\b(touye|tiye) tet (mwen|m|li)\b|\bswisid|\bsiisid",
    r"\b(vle|pral|ta renmen|anvi) mouri\b|\bpa vle viv\b|\bpa ka viv anko\b|\bfos pou m viv\b|\bfini ak lavi\b|\bkite mond sa\b",
    r"\b(orevwa|adye) (pou tout tan|tout moun|pou toujou)\b|\bdenye mesaj\b|\bmesaj orevwa\b|\bpou tout tan\b|\bse fini pou mwen\b|\bp ap regret",
    r"\b(bwe|pran|vale|achte) .{0,15}(grenn|medikaman|pwazon)\b",
    r"\b(pann|pandye) tet (li|mwen|m)\b|\bkoupe venn\b|\bsou pon an\b|\bekri let mwen\b",
    r"\b"
    + _KID_HT
    + r"\b.{0,50}\b(pedi(?! (yon|de|0) ane)|disparet|yo pran|yo kidnape|kidnape|pa jwenn|pa retounen)\b",
    r"\b(yo|ame) pran (pitit|timoun|bebe|yon timoun)\b|\b(yo kidnape|yo vole|ap mennen) (pitit|timoun|bebe|yon timoun)\b",
    r"\b(m|mwen) pa (ka )?jwenn (pitit|timoun|bebe)\b|\b(ap manyen|manyen) (pitit|timoun)\b",
    r"\b"
    + _KID_HT
    + r"\b.{0,40}\bpoukont\b.{0,50}\b(blese|senyen|kriye|malad)\b|\btimoun blese\b|\bfemen nan yon chanm\b",
    r"\bpa (kite|vle kite) (mwen |m |nou |li |n )?(soti|ale|pati)\b",
    r"\b(femen|kenbe|mare|sekestre|bloke) (mwen|m|nou|li|n)\b|\b(mwen|m|nou|li) (femen|sekestre|mare|bloke)\b(?! tet)|\bsekestre\b",
    r"\b(pa ka|paka|pa kapab) (soti|sove|chape|ale)\b|\bak kle\b",
    r"\bpa (ka )?respire\b|\b(endispoze|konvilsyon|senyen anpil|pedi konesans|dlo pati)\b|\bap fe kriz\b|\bap akouche\b|\bpa reveye\b",
    r"\bbwe (pwodwi|klowoks|pwazon)\b|\bdoule nan pwatrin\b|\bkoulev mode\b",
)

_KIDS = "(" + "|".join((_KID_ES, _KID_EN, _KID_PT, _KID_FR, _KID_HT)) + ")"
_ALONE = r"(sol[oa]s?|solit[oa]s?|alone|by (himself|herself)|sozinh[oa]s?|seule?s?|tout seule?|poukont (li|yo))"
_DISTRESS = r"(llorando|crying|chorando|pleure|kriye|no ha comido|hasn t eaten|has not eaten|nao comeu|pas mange|pa manje|getting dark|it s dark|de noche|esta oscureciendo|ta escurecendo|il fait nuit|fe nwa|herid[oa]|hurt|injured|machucad[oa]|blesse|blese|sangrando|bleeding|saigne|senyen)"

# Wording shared by several languages or mixing them.
ANY_LANGUAGE = (
    # fainted / lost consciousness
    r"\b(perdio|perdi|ha perdido) (el )?(conocimiento|la conciencia|el sentido)\b|\b(passed out|fainted|lost consciousness|blacked out)\b|\b(perdeu|perdi) (a )?(consciencia|os sentidos)\b|\bdesmaiou\b|\bperdu connaissance\b|\bs est evanoui|\bsevanoui|\bpedi konesans\b|\btonbe san konesans\b",
    # no reason to go on living, being a burden
    r"\b(no|ningun|sin|pa) (le )?(veo|tengo|encuentro|we|gen|see|vejo|vois)? ?(sentido|razon|motivo|reason|point|rezon|raison|motivo) (pou m |de |para |a |to |pour |pra )?(seguir|vivir|kontinye|viv|live|go on|continuer|vivre|viver|continuar)\b",
    r"\b(no le veo sentido|ya no tiene sentido) (a )?(seguir|vivir|la vida|nada)\b|\bno reason to (go on|keep going|keep living)\b|\bpa we rezon\b|\bsem razao (pra|para) viver\b|\bplus de raison de vivre\b",
    r"\b(dejo de|dejar de|deje de) ser una carga\b|\bser una carga (pa|para) todos\b|\b(i m|i am|im) (just )?a burden\b|\bsou um peso\b|\bun fardeau pour\b|\byon chay pou\b|\bmejor me voy (y|para siempre|de una vez)\b",
    # forced sexual exploitation, someone held in a place
    r"\b(obligan|obliga|obligaban|forzan|fuerzan|force|forces|forced|forcam|obrigam|obligent|oblige|fose)\b.{0,20}\b(estar con (hombres|clientes|tipos)|prostitu\w*|acostarme|atender clientes|sleep with|be with (men|clients)|ficar com (homens|clientes|cliente)|coucher avec|fe pwostitisyon|pwostitisyon)",
    r"\b(la|lo|me|nos|las|los) tienen en (un|una|el|la) (bar|casa|finca|cuarto|sitio|lugar|bodega|galpon|burdel|prostibulo)\b",
    # beaten right now (third parties too)
    r"\b(le|les|me|nos|lo|la) (estan|esta|andan) (dando|pegando) (patadas|golpes|pata|una golpiza|punos|puno|palo|garrote)\b|\b(is|are) (kicking|beating|punching) (him|her|them|my|a)\b|\b(tao|estao|ta|esta) (chutando|espancando|batendo em)\b|\b(sont en train de|est en train de) (le |la |les )?(frapper|battre|tabasser)\b|\by ap (bat|kale|frape) (li|pitit|yon)\b",
    # sexual violence in the last hours or days (emergency care, within 72 hours)
    r"\b(me violaron|me abusaron|me violo|me abuso|fui violada|fui abusada|me acaban de violar)\b.{0,40}\b(anoche|ayer|hoy|ahorita|esta manana|hace (un rato|unas horas|0 horas))\b|\b(anoche|ayer|hoy|ahorita|esta manana)\b.{0,40}\b(me violaron|me abusaron|me violo|me abuso|fui violada)\b",
    r"\b(i was raped|raped me|was sexually assaulted|sexually assaulted me)\b.{0,40}\b(last night|yesterday|today|this morning|hours ago|just now)\b|\b(last night|yesterday|this morning)\b.{0,40}\b(raped|sexually assaulted)\b",
    r"\b(me estupraram|fui estuprada|fui estuprado|me violentaram)\b.{0,40}\b(ontem|hoje|essa noite|de madrugada|agora)\b|\b(ontem|hoje|essa noite)\b.{0,40}\b(me estupraram|fui estuprada)\b",
    r"\b(on m a violee|il m a violee|ils m ont violee|j ai ete violee|m a agressee sexuellement)\b.{0,40}\b(hier|cette nuit|ce matin|aujourd hui)\b|\b(hier|cette nuit|ce matin)\b.{0,40}\b(viole|violee)\b",
    r"\b(yo fe m kadejak|li fe m kadejak|yo vyole m|li vyole m)\b.{0,40}\b(ye|ye swa|maten an|jodi a|aswe a)\b|\b(ye|ye swa|maten an)\b.{0,40}\b(kadejak|vyole)\b",
    # a child alone and in distress now (crying, hungry, hurt, night falling)
    r"\b" + _KIDS + r"\b.{0,40}\b" + _ALONE + r"\b.{0,100}\b" + _DISTRESS + r"\b",
    r"\b" + _ALONE + r"\b.{0,40}\b" + _KIDS + r"\b.{0,100}\b" + _DISTRESS + r"\b",
    r"\b" + _KIDS + r"\b.{0,40}\b" + _DISTRESS + r"\b.{0,20}\b" + _ALONE + r"\b",
)

PATTERNS: dict[str, tuple[str, ...]] = {
    "es": SPANISH,
    "en": ENGLISH,
    "pt": PORTUGUESE,
    "fr": FRENCH,
    "ht": CREOLE,
    "any": ANY_LANGUAGE,
}

# Everyday hyperbole: blanked out before the patterns run.
HYPERBOLE = (
    r"\bme (mata|muero|estoy muriendo|va a matar|esta matando) (el|la|de) (calor|hambre|risa|sueno|frio|ganas|pena|verguenza|aburrimiento|cansancio|flojera|sed)\b",
    r"\b(el|la|este|esta|esa|ese) (calor|hambre|novela|serie|tarea|trafico|guayabo|jefe|cancion|dolor|tos|gripa)\b.{0,20}\b(me|nos) (mata|va a matar|esta matando)\b",
    r"\b(this|the) (heat|hunger|boredom|homework|traffic|song|show) (is|s) (killing|gonna kill|going to kill) me\b|\bstarving\b|\bdying of (hunger|laughter|boredom)\b",
    r"\b(morrendo|morro|morri) de (fome|rir|calor|sono|vergonha)\b|\b(esse|este|o) (calor|fome) (ta|esta) me matando\b",
    r"\bmeurs de (faim|rire|chaud|froid)\b|\b(cette|la) chaleur me tue\b",
    r"\b(mouri|mouri ak) (grangou|ri|chale)\b|\bchale a ap touye m\b",
)

# Danger that is over or hypothetical: a pattern hit does not count when one of these is present.
RESOLVED = (
    r"\b(ahora|ya|ahorita) (estoy|esta|estamos) (mejor|bien|a salvo|libre)\b|\bme (escape|sali|libere)\b(?! (al|a la|a un|en el|en la|por|y))|\bestoy libre\b|\besta bien (por|x) ahora\b",
    r"\bi m (better|safe) now\b|\bi (am|m) better\b|\bi escaped\b|\bfeel better\b",
    r"\bca va mieux\b|\bje vais mieux\b|\bje suis en securite\b",
    r"\b(estou|to) (melhor|bem agora|em seguranca)\b|\bconsegui (sair|fugir)\b",
    r"\bm pi byen\b|\bm soti deja\b|\bnou separe\b",
    r"\b(ahora|ya) (estamos|vivimos) separados\b|\bwe (are|re) (separated|divorced) now\b|\b(agora|ja) (estamos|somos) separados\b|\b(maintenant|deja) (on est|nous sommes) separes\b",
)

# Past danger: it does not count unless the message also says it is happening now.
PAST = (
    r"\bhace (un|una|dos|tres|0|muchos|varios|unos) (meses|anos|ano|mes|semanas|semana)\b|\btodos los dias\b|\bhace (meses|anos|tiempo)\b|\bel (ano|mes) pasado\b|\bla semana pasada\b|\bcuando (era|estaba) (chiquit|nin|pequen)",
    r"\b(months|years|weeks) ago\b|\blast (year|month|week)\b|\bevery day\b|\bwhen i was (a child|little|young)\b",
    r"\btous les jours\b|\bl an dernier\b|\bil y a (des mois|des annees|0 (mois|ans|semaines))\b|\bdepuis (des|quelques|0) (semaines|mois|ans)\b|\b(mois|semaine) dernier\b|\bla semaine derniere\b|\bquand (elle|il|j) etai",
    r"\btodo dia\b|\bano passado\b|\bfaz (0 |uns |alguns )?(meses|anos|semanas)\b|\bmes passado\b",
    r"\bte konn\b|\bchak jou\b|\bane pase\b|\bdepi (0|kek|plizye) (semen|mwa|ane|zan|an)\b|\b(mwa|semen) pase\b|\blontan\b",
)
NOW = r"\b(ahorita|ahora mismo|en este momento|esta noche|right now|tonight|agora|essa noite|esta noite|maintenant|ce soir|cette nuit|aswe a)\b"

# Fear of being killed if sent back is an asylum question, not an emergency now.
RETURN = r"\b(volv\w*|regres\w*|retorn\w*|devuelv\w*|devolv\w*|deport\w*|return|go back|send me back|retourner|rentrer|voltar|retounen|tounen)\b.{0,60}\b(matar|matan|mata|kill|tuer|tue|touye|matar)\b"


_GROUP = 6


def _alternation(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def compile_patterns() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """The danger patterns of every language (code-mixing is common) and the guards: hyperbole,
    resolved, past, now, return.

    Danger patterns are compiled in small alternations: Python's re is several times slower on
    one alternation of everything, and a little slower on each pattern alone.
    """
    unique = list(dict.fromkeys(p for patterns in PATTERNS.values() for p in patterns))
    danger = tuple(_alternation(tuple(unique[i : i + _GROUP])) for i in range(0, len(unique), _GROUP))
    guards = (
        _alternation(HYPERBOLE),
        _alternation(RESOLVED),
        _alternation(PAST),
        re.compile(NOW),
        re.compile(RETURN),
    )
    return danger, guards
